// Wire shapes of the Microsoft identity platform v2 token endpoint (v2-oauth2-auth-code-flow.md, FACTS §1.5).

export interface EntraTokenResponse {
  token_type: string;
  scope?: string;
  expires_in: number | string; // v1-era responses send numbers as strings
  ext_expires_in?: number | string;
  access_token: string;
  refresh_token?: string; // only with offline_access
  id_token?: string; // only with openid
}

// payloads/aad-token-error-invalid_scope.json, plus fields seen in the wild (suberror, claims).
export interface EntraTokenErrorResponse {
  error: string;
  error_description?: string;
  error_codes?: number[];
  timestamp?: string;
  trace_id?: string;
  correlation_id?: string;
  error_uri?: string;
  suberror?: string;
  claims?: string;
}

export interface EntraTokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  expiresIn: number; // seconds
  extExpiresIn?: number;
  scope: string;
  tokenType: string;
}

// `common`, `organizations`, a tenant id or a verified domain: a customer tenant id gives GDAP tokens for
// that customer (FACTS §3.1).
export interface RedeemAuthorizationCodeRequest {
  tenant: string;
  code: string;
  redirectUri: string;
  codeVerifier?: string;
  scope: string | string[];
}

export interface RedeemRefreshTokenRequest {
  tenant: string;
  refreshToken: string;
  scope: string | string[];
}
