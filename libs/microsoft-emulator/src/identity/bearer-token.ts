import type { EmulatorState } from '../state/emulator-state';
import { decodeJwt, hasValidSignature } from './jwt';

// The v1 access-token claims the emulator issues (token-issuer.ts).
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  amr: string[];
  appid: string;
  name: string;
  oid: string;
  scp: string;
  tid: string;
  upn: string;
  unique_name: string;
  ver: string;
  [claim: string]: unknown;
}

export type BearerTokenCheck =
  | { ok: true; claims: AccessTokenClaims; scopes: string[] }
  | { ok: false; problem: 'missing' | 'malformed' | 'signature' | 'expired' | 'audience'; message: string };

// For the resource areas (Graph now, Partner Center later): accepts only access tokens this
// emulator signed, still valid on the emulator clock, issued for `audience`.
export function verifyBearerToken(state: EmulatorState, authorization: string | undefined, audience: string): BearerTokenCheck {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return { ok: false, problem: 'missing', message: 'Access token is empty.' };
  const jwt = decodeJwt(match[1]);
  if (!jwt) return { ok: false, problem: 'malformed', message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
  if (jwt.header.alg !== 'RS256' || jwt.header.kid !== state.signingKey.kid || !hasValidSignature(jwt, state.signingKey.publicKey)) {
    return { ok: false, problem: 'signature', message: 'Access token validation failure. Invalid signature.' };
  }
  const claims = jwt.claims as AccessTokenClaims;
  const now = Math.floor(state.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now || (typeof claims.nbf === 'number' && claims.nbf > now)) {
    return { ok: false, problem: 'expired', message: 'Lifetime validation failed, the token is expired.' };
  }
  if (claims.aud !== audience) return { ok: false, problem: 'audience', message: 'Invalid audience.' };
  return { ok: true, claims, scopes: typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [] };
}
