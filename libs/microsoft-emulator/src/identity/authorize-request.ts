import type { EmulatorState } from '../state/emulator-state';
import { asksForDefault, incompatibleScopes, parseScopes } from './scopes';
import type { AuthorizeRequest, Prompt, ResponseMode } from './identity-state';
import { resolveTenant, tenantNotFoundMessage } from './tenants';

export type { AuthorizeRequest, Prompt, ResponseMode } from './identity-state';

// Where an error can be sent once client and redirect URI are trusted.
export interface ClientTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

export interface AuthorizeFailure {
  error: string;
  code: number;
  message: string;
}

export type AuthorizeValidation =
  | { ok: true; request: AuthorizeRequest }
  // Unknown tenant/app or untrusted redirect URI: shown on a page, never redirected.
  | ({ ok: false; target?: undefined } & AuthorizeFailure)
  | ({ ok: false; target: ClientTarget } & AuthorizeFailure);

type Query = Record<string, unknown>;

export function validateAuthorizeRequest(state: EmulatorState, tenantSegment: string, query: Query): AuthorizeValidation {
  const tenant = resolveTenant(state, tenantSegment);
  if (!tenant) return pageFailure(90002, tenantNotFoundMessage(tenantSegment));

  const clientId = param(query, 'client_id');
  if (!clientId) return pageFailure(900144, "The request body must contain the following parameter: 'client_id'.");
  const app = state.findApp(clientId);
  if (!app) {
    return pageFailure(
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }

  const redirectUri = param(query, 'redirect_uri');
  if (!redirectUri) return pageFailure(900971, 'No reply address provided.');
  // Exact, case-sensitive match, as Entra does for web redirect URIs.
  if (!app.redirectUris.includes(redirectUri)) {
    return pageFailure(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    );
  }

  const responseTypes = (param(query, 'response_type') ?? '').split(/\s+/).filter(Boolean);
  const wantsIdToken = responseTypes.includes('id_token');
  const requestedMode = param(query, 'response_mode');
  const defaultMode: ResponseMode = wantsIdToken ? 'fragment' : 'query';
  const responseMode = (requestedMode ?? defaultMode) as ResponseMode;
  const stateParam = param(query, 'state');
  const target: ClientTarget = {
    redirectUri,
    responseMode: ['query', 'fragment', 'form_post'].includes(responseMode) ? responseMode : defaultMode,
    state: stateParam,
  };
  const fail = (error: string, code: number, message: string): AuthorizeValidation => ({ ok: false, target, error, code, message });

  if (target.responseMode !== responseMode) {
    return fail('invalid_request', 70007, `The response_mode '${requestedMode}' is not supported.`);
  }
  if (responseTypes.length === 0) {
    return fail('invalid_request', 900144, "The request body must contain the following parameter: 'response_type'.");
  }
  if (responseTypes.some((type) => type !== 'code' && type !== 'id_token')) {
    return fail('unsupported_response_type', 70005, `The response_type '${responseTypes.join(' ')}' is not supported.`);
  }
  if (wantsIdToken && responseMode === 'query') {
    return fail('invalid_request', 70007, "'query' is not a supported value of 'response_mode' when requesting a token.");
  }

  const rawScope = param(query, 'scope');
  if (!rawScope) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const parsed = parseScopes(rawScope);
  if (!parsed.ok) {
    return fail(
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.invalid} is not valid.`,
    );
  }
  // Several resources are fine here (consent up front); `.default` beside anything but OIDC scopes is not.
  const refusal = incompatibleScopes(rawScope, { oneResource: false });
  if (refusal) return fail(refusal.error, refusal.code, refusal.message);
  if (wantsIdToken && !parsed.scopes.includes('openid')) {
    return fail('unsupported_response_type', 70005, "The response_type 'id_token' requires the 'openid' scope.");
  }

  const nonce = param(query, 'nonce');
  // Microsoft requires a nonce whenever an id_token comes back from /authorize.
  if (wantsIdToken && !nonce) {
    return fail('invalid_request', 900144, "The request body must contain the following parameter: 'nonce'.");
  }

  const prompt = param(query, 'prompt');
  if (prompt && !['login', 'none', 'consent', 'select_account'].includes(prompt)) {
    return fail('invalid_request', 90023, `Invalid prompt value: '${prompt}'.`);
  }

  const codeChallenge = param(query, 'code_challenge');
  const method = param(query, 'code_challenge_method') ?? 'plain'; // RFC 7636 default
  if (codeChallenge) {
    if (method !== 'S256' && method !== 'plain') {
      return fail('invalid_request', 90023, `The code_challenge_method '${method}' is not supported. Use 'S256' or 'plain'.`);
    }
    if (codeChallenge.length < 43 || codeChallenge.length > 128) {
      return fail('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');
    }
  }

  return {
    ok: true,
    request: {
      tenantSegment,
      tenantId: tenant.kind === 'tenant' ? tenant.tenant.id : undefined,
      clientId: app.clientId,
      redirectUri,
      responseMode,
      wantsCode: responseTypes.includes('code'),
      wantsIdToken,
      scopes: parsed.scopes,
      staticConsent: asksForDefault(rawScope),
      state: stateParam,
      nonce,
      prompt: prompt as Prompt | undefined,
      loginHint: param(query, 'login_hint'),
      domainHint: param(query, 'domain_hint'),
      codeChallenge,
      codeChallengeMethod: codeChallenge ? (method as 'S256' | 'plain') : undefined,
    },
  };
}

export function param(source: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = source?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function pageFailure(code: number, message: string): AuthorizeValidation {
  return { ok: false, error: 'invalid_request', code, message };
}
