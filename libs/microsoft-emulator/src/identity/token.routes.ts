import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { AppRegistration, Tenant, User } from '../scenario/scenario';
import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { sendAadJsonError, setEntraResponseHeaders, type AadJsonError } from './aad-error';
import { param } from './authorize-request';
import { customerTenantRefusal } from './customer-tenant-access';
import { CODE_LIFETIME_MS, type RefreshTokenRecord } from './identity-state';
import { allGranted, asksForDefault, incompatibleScopes, isOidcScope, parseScopes, resourceOf, resourcesOf, type Scope } from './scopes';
import { ACCESS_TOKEN_LIFETIME_SECONDS, hashToken, issueAccessToken, issueIdToken, issueRefreshToken } from './token-issuer';
import { resolveTenant, tenantNotFoundMessage, type TenantTarget } from './tenants';

// A failure carries Microsoft's status, `error` and AADSTS code (reference-error-codes.md).
class TokenError extends Error {
  constructor(readonly failure: AadJsonError) {
    super(failure.message);
  }
}

function fail(status: number, error: string, code: number, message: string, suberror?: string): never {
  throw new TokenError({ status, error, code, message, suberror });
}

interface TokenRequest {
  state: EmulatorState;
  req: Request;
  body: Record<string, unknown>;
  tenant: TenantTarget;
  app: AppRegistration;
}

interface Issue {
  user: User;
  tenantId: string; // the directory the access token is for
  homeTenantId: string; // the user's own directory: refresh tokens stay bound to it
  scopes: Scope[]; // scopes of this token request
  amr: string[];
  ipaddr: string;
  nonce?: string;
  withRefreshToken: boolean;
  withIdToken: boolean;
  signInScopes: Scope[];
}

export function registerTokenRoutes(router: RouteRegistrar, state: EmulatorState): void {
  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
    // x-ms-request-id (and the asked-for client-request-id echo) on every answer, tokens or AADSTS error.
    setEntraResponseHeaders(req, res);
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const tenant = resolveTenant(state, String(req.params.tenant));
      if (!tenant) fail(400, 'invalid_request', 90002, tenantNotFoundMessage(String(req.params.tenant)));
      const grantType = param(body, 'grant_type');
      if (!grantType) fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
      if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
        fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
      }
      const app = authenticateClient(state, req, body, String(req.params.tenant));
      const request: TokenRequest = { state, req, body, tenant, app };
      const issue = grantType === 'authorization_code' ? redeemCode(request) : redeemRefreshToken(request);
      sendTokens(request, res, issue);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      sendAadJsonError(state, req, res, error.failure);
    }
  });
}

// client_secret in the body (client_secret_post) or HTTP Basic (client_secret_basic).
function authenticateClient(state: EmulatorState, req: Request, body: Record<string, unknown>, tenantSegment: string): AppRegistration {
  const basic = parseBasicAuthorization(req.get('authorization'));
  const clientId = basic?.clientId ?? param(body, 'client_id');
  if (!clientId) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = state.findApp(clientId);
  if (!app) {
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = basic?.clientSecret ?? param(body, 'client_secret');
  if (!secret) {
    return fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (secret !== app.clientSecret) {
    return fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  return app;
}

function redeemCode({ state, body, tenant, app }: TokenRequest): Issue {
  const code = param(body, 'code');
  if (!code) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
  const record = state.identity.codes.get(code);
  if (!record || state.now() - record.issuedAt > CODE_LIFETIME_MS) {
    return fail(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  }
  if (record.clientId !== app.clientId) return fail(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  if (record.redeemed) {
    return fail(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  }
  const redirectUri = param(body, 'redirect_uri');
  if (!redirectUri) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'redirect_uri'.");
  if (redirectUri !== record.redirectUri) {
    // Entra's code for a token request whose redirect_uri differs from the authorize request's.
    return fail(
      400,
      'invalid_grant',
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${record.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  if (record.codeChallenge && !pkceMatches(record.codeChallenge, record.codeChallengeMethod, param(body, 'code_verifier'))) {
    return fail(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
  }
  const user = state.findUserById(record.userId);
  if (!user) return fail(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  if (tenant.kind === 'tenant' && tenant.tenant.id !== record.tenantId) {
    return fail(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.');
  }
  // At /token all scopes must belong to one resource (plus OIDC scopes); /authorize allows more (FACTS.md §7a.1).
  // A code redeemed without `scope` stands for the authorize request's scopes, which must then name one resource.
  const requested = requestedScopes(body, record.scopes);
  const oneResource = incompatibleScopes(param(body, 'scope') ?? record.scopes.join(' '), { oneResource: true });
  if (oneResource) return fail(400, oneResource.error, oneResource.code, oneResource.message);
  const scopes = consentedDefaults(state, user, app, body, requested);
  requireConsent(state, user, app, scopes);
  record.redeemed = true;
  return {
    user,
    tenantId: record.tenantId,
    homeTenantId: record.tenantId,
    scopes,
    amr: record.amr,
    ipaddr: record.ipaddr,
    nonce: record.nonce,
    withRefreshToken: scopes.includes('offline_access') || record.scopes.includes('offline_access'),
    withIdToken: scopes.includes('openid') || record.scopes.includes('openid'),
    signInScopes: record.scopes,
  };
}

function redeemRefreshToken({ state, body, tenant, app }: TokenRequest): Issue {
  const token = param(body, 'refresh_token');
  if (!token) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
  const record = state.identity.refreshTokens.get(hashToken(token));
  if (!record) return fail(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  if (record.clientId !== app.clientId) return fail(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  if (record.revokedAt !== undefined) {
    return fail(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${isoTime(record.issuedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${isoTime(record.revokedAt)}'.`,
    );
  }
  if (state.now() - record.lastUsedAt > state.refreshTokenInactivityMs) {
    return fail(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${isoTime(record.issuedAt)} and was inactive for ${timeSpan(state.refreshTokenInactivityMs)}.`,
    );
  }
  const user = state.findUserById(record.userId);
  if (!user)
    return fail(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  if (tenant.kind === 'tenant' && tenant.tenant.id !== record.tenantId)
    return redeemForCustomer(state, body, tenant.tenant, record, user, app);
  const scopes = consentedDefaults(state, user, app, body, requestedScopes(body, record.scopes));
  requireConsent(state, user, app, scopes);
  // Rotation: the old token stays usable (refresh-tokens.md), it just is no longer the newest.
  record.lastUsedAt = state.now();
  return {
    user,
    tenantId: record.tenantId,
    homeTenantId: record.tenantId,
    scopes,
    amr: record.amr,
    ipaddr: record.ipaddr,
    withRefreshToken: true,
    withIdToken: scopes.includes('openid'),
    signInScopes: record.scopes,
  };
}

// GDAP (FACTS §3.1): the partner's refresh token at /{customerTenantId}/oauth2/v2.0/token gives a token for
// the customer directory (tid = customer) while the partner holds an active relationship with it. Without
// one, Entra does not know the partner user there: AADSTS50020 with invalid_grant, the error CIPP documents
// for a missing or expired GDAP relationship. No per-user consent is checked here: what counts is whether the
// app is provisioned in the customer directory (Partner Center applicationconsents) — customer-tenant-access.ts.
function redeemForCustomer(
  state: EmulatorState,
  body: Record<string, unknown>,
  target: Tenant,
  record: RefreshTokenRecord,
  user: User,
  app: AppRegistration,
): Issue {
  if (target.kind !== 'customer' || state.world.activeRelationships(record.tenantId, target.id).length === 0) {
    return fail(
      400,
      'invalid_grant',
      50020,
      `User account '${user.userPrincipalName}' from identity provider 'https://sts.windows.net/${record.tenantId}/' does not exist in tenant '${target.displayName}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    );
  }
  const scopes = requestedScopes(body, record.scopes);
  // The app must be provisioned in the customer, and its Conditional Access may refuse (customer-tenant-access.ts).
  const customer = state.world.customer(target.id);
  const refusal = customer && customerTenantRefusal(customer, app, resourcesOf(scopes)[0] ?? target.id);
  if (refusal) throw new TokenError(refusal);
  record.lastUsedAt = state.now();
  return {
    user,
    tenantId: target.id,
    homeTenantId: record.tenantId,
    scopes,
    amr: record.amr,
    ipaddr: record.ipaddr,
    withRefreshToken: true,
    withIdToken: false,
    signInScopes: record.scopes,
  };
}

// At the token endpoint `{resource}/.default` means what the user (or an admin for the directory) already
// consented to for that resource, not the app's whole static list.
function consentedDefaults(
  state: EmulatorState,
  user: User,
  app: AppRegistration,
  body: Record<string, unknown>,
  scopes: Scope[],
): Scope[] {
  const raw = param(body, 'scope');
  if (!asksForDefault(raw)) return scopes;
  const defaultResources = new Set<string>();
  for (const value of (raw ?? '').split(/\s+/)) {
    const parsed = value.toLowerCase().endsWith('/.default') ? parseScopes(value) : undefined;
    if (parsed?.ok) for (const resource of resourcesOf(parsed.scopes)) defaultResources.add(resource);
  }
  const granted = state.identity.grantedScopesFor(user, app.clientId);
  const kept = scopes.filter((scope) => isOidcScope(scope) || !defaultResources.has(resourceOf(scope) ?? '') || granted.includes(scope));
  // Nothing consented for that resource: the usual consent error.
  return resourcesOf(kept).length === 0 && resourcesOf(scopes).length > 0 ? scopes : kept;
}

function sendTokens({ state, app, body }: TokenRequest, res: Response, issue: Issue): void {
  const access = issueAccessToken(state, {
    user: issue.user,
    tenantId: issue.tenantId,
    clientId: app.clientId,
    scopes: issue.scopes,
    amr: issue.amr,
    ipaddr: issue.ipaddr,
  });
  const refreshToken = issue.withRefreshToken
    ? issueRefreshToken(state, {
        userId: issue.user.id,
        tenantId: issue.homeTenantId,
        clientId: app.clientId,
        scopes: issue.signInScopes,
        amr: issue.amr,
        ipaddr: issue.ipaddr,
      })
    : undefined;
  const idToken = issue.withIdToken
    ? issueIdToken(state, { user: issue.user, clientId: app.clientId, scopes: issue.scopes, nonce: issue.nonce })
    : undefined;
  state.persist();
  res
    .status(200)
    .set('Cache-Control', 'no-store, no-cache')
    .set('Pragma', 'no-cache')
    .json({
      token_type: 'Bearer',
      scope: access.scope,
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      access_token: access.token,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      ...(param(body, 'client_info') === '1' ? { client_info: clientInfo(issue.user) } : {}),
    });
}

// Asked for with client_info=1 (MSAL always sends it): base64url, unpadded, of {"uid","utid"} = the user's
// object id and home directory, as in recorded Entra responses. MSAL makes homeAccountId "{uid}.{utid}" from it
// (msal-common AccountEntityUtils.generateHomeAccountId) and takes utid as the home tenant, so a GDAP token for
// a customer directory still carries the partner user's home ids.
function clientInfo(user: User): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');
}

function requestedScopes(body: Record<string, unknown>, fallback: Scope[]): Scope[] {
  const raw = param(body, 'scope');
  if (!raw) return fallback;
  const parsed = parseScopes(raw);
  if (!parsed.ok) {
    return fail(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.invalid} is not valid.`,
    );
  }
  // `.default` beside another resource scope, on every grant. Several resources without `.default` are left to
  // the caller: refused when redeeming a code, the first resource's token on a refresh (v2-oauth2-auth-code-flow,
  // FACTS.md §1.5).
  const refusal = incompatibleScopes(raw, { oneResource: false });
  if (refusal) return fail(400, refusal.error, refusal.code, refusal.message);
  return parsed.scopes;
}

// Scopes at /token must already be consented for this user and app.
function requireConsent(state: EmulatorState, user: User, app: AppRegistration, scopes: Scope[]): void {
  if (!allGranted(scopes, state.identity.grantedScopesFor(user, app.clientId))) {
    fail(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      'consent_required',
    );
  }
}

function pkceMatches(challenge: string, method: 'S256' | 'plain' | undefined, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const expected = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return expected === challenge;
}

function parseBasicAuthorization(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator === -1) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return { clientId: decode(decoded.slice(0, separator)), clientSecret: decode(decoded.slice(separator + 1)) };
}

// "2024-01-01T00:00:00.0000000Z", the 7-digit fraction Entra prints.
function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}

// .NET TimeSpan format, e.g. "90.00:00:00".
function timeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  return `${days}.${pad(hours)}:${pad(minutes)}:${pad(totalSeconds % 60)}`;
}
