import type { MicrosoftClientOptions } from '../http/http.types';
import { MicrosoftApiError } from '../http/microsoft-api.error';
import { MicrosoftHttpClient } from '../http/microsoft-http.client';
import { createEntraTokenError } from './entra-token.error';
import type { EntraTokenResponse, EntraTokenSet, RedeemAuthorizationCodeRequest, RedeemRefreshTokenRequest } from './entra-token.types';

export interface EntraTokenClientOptions extends MicrosoftClientOptions {
  loginBaseUrl: string; // https://login.microsoftonline.com
  clientId: string;
  clientSecret: string;
}

// The v2 token endpoint, POST /{tenant}/oauth2/v2.0/token, with the client secret in the body
// (client_secret_post). Raw OAuth rather than MSAL because MSAL Node does not hand out the refresh token,
// which Sync 365 must store and rotate (FACTS §0.6).
export class EntraTokenClient {
  private readonly http: MicrosoftHttpClient;

  private readonly clientId: string;
  private readonly clientSecret: string;

  constructor(options: EntraTokenClientOptions) {
    const { loginBaseUrl, clientId, clientSecret, ...http } = options;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.http = new MicrosoftHttpClient({ ...http, service: 'entra', baseUrl: loginBaseUrl, createError: createEntraTokenError });
  }

  redeemAuthorizationCode(request: RedeemAuthorizationCodeRequest): Promise<EntraTokenSet> {
    return this.token(request.tenant, {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
      scope: scopeString(request.scope),
    });
  }

  redeemRefreshToken(request: RedeemRefreshTokenRequest): Promise<EntraTokenSet> {
    return this.token(request.tenant, {
      grant_type: 'refresh_token',
      refresh_token: request.refreshToken,
      scope: scopeString(request.scope),
    });
  }

  private async token(tenant: string, fields: Record<string, string | undefined>): Promise<EntraTokenSet> {
    if (!/^[A-Za-z0-9._-]+$/.test(tenant)) throw new Error(`Not a tenant id, domain, common or organizations: "${tenant}"`);
    const response = await this.http.request<EntraTokenResponse | undefined>({
      method: 'POST',
      path: `/${tenant}/oauth2/v2.0/token`,
      form: { client_id: this.clientId, client_secret: this.clientSecret, ...fields },
      // Safe to send again: a refresh token stays valid after use (refresh-tokens.md, FACTS §1.10), and a
      // code redeemed twice only earns AADSTS54005. 4xx refusals are never retried; 429, 5xx and network
      // failures are.
      replay: 'safe',
      operation: `entra.token.${fields.grant_type}`,
    });
    const body = response.body;
    const expiresIn = Number(body?.expires_in);
    if (!body || typeof body.access_token !== 'string' || !Number.isFinite(expiresIn)) {
      throw new MicrosoftApiError({
        service: 'entra',
        status: response.status,
        code: 'malformed_response',
        message: `Microsoft Entra ID token response for ${tenant} has no access_token or expires_in`,
        requestId: response.requestId,
        correlationId: response.correlationId,
        attempts: response.attempts,
        method: 'POST',
        path: `/${tenant}/oauth2/v2.0/token`,
      });
    }
    const extExpiresIn = body.ext_expires_in === undefined ? undefined : Number(body.ext_expires_in);
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      idToken: body.id_token,
      expiresIn,
      extExpiresIn: Number.isFinite(extExpiresIn) ? extExpiresIn : undefined,
      scope: body.scope ?? '',
      tokenType: body.token_type ?? 'Bearer',
    };
  }
}

function scopeString(scope: string | string[]): string {
  return (Array.isArray(scope) ? scope : scope.split(/\s+/)).filter(Boolean).join(' ');
}
