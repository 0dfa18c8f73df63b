import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import type { RefreshTokenRecord } from './identity-state';
import { signJwt, leftHalfHash } from './jwt';
import { GRAPH_RESOURCE, isOidcScope, resourceOf, scopeName, type Scope } from './scopes';
import { issuerFor } from './tenants';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export interface IdTokenInput {
  user: User;
  clientId: string;
  scopes: Scope[];
  nonce?: string;
  code?: string; // hybrid flow: the id_token then carries c_hash
}

// v2 id_token (id-token-claims-reference): no `amr` in v2.
export function issueIdToken(state: EmulatorState, input: IdTokenInput): string {
  const { user } = input;
  const iat = Math.floor(state.now() / 1000);
  const claims: Record<string, unknown> = {
    aud: input.clientId,
    iss: issuerFor(state, user.tenantId),
    iat,
    nbf: iat,
    exp: iat + ID_TOKEN_LIFETIME_SECONDS,
    ...(input.code ? { c_hash: leftHalfHash(input.code) } : {}),
    ...(input.scopes.includes('email') ? { email: user.userPrincipalName } : {}),
    name: user.displayName,
    ...(input.nonce ? { nonce: input.nonce } : {}),
    oid: user.id,
    preferred_username: user.userPrincipalName,
    sub: pairwiseSubject(user.id, input.clientId),
    tid: user.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  };
  applyIdTokenOverride(state, claims);
  return signJwt({ typ: 'JWT', alg: 'RS256', kid: state.signingKey.kid }, claims, state.signingKey.privateKeyPem);
}

export interface AccessTokenInput {
  user: User;
  tenantId: string;
  clientId: string;
  scopes: Scope[]; // the scopes of the token request; the token is for the first resource
  amr: string[];
  ipaddr: string;
}

export interface IssuedAccessToken {
  token: string;
  resource: string;
  scope: string; // the `scope` field of the token response
}

// v1-shaped access token, like payloads/pc-access-token-claims-v1-example.json: Partner Center
// reads `amr` from it to decide whether the user passed MFA.
export function issueAccessToken(state: EmulatorState, input: AccessTokenInput): IssuedAccessToken {
  const resource = input.scopes.map(resourceOf).find((candidate) => candidate !== undefined) ?? GRAPH_RESOURCE;
  const resourceScopes = input.scopes.filter((scope) => resourceOf(scope) === resource).map(scopeName);
  // Graph tokens also list the OIDC scopes; other resources only their own.
  const oidcScopes = resource === GRAPH_RESOURCE ? input.scopes.filter((scope) => isOidcScope(scope) && scope !== 'offline_access') : [];
  const scp = [...oidcScopes, ...resourceScopes].join(' ');
  const iat = Math.floor(state.now() / 1000);
  const { user } = input;
  const claims = {
    aud: resource,
    iss: `https://sts.windows.net/${input.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + ACCESS_TOKEN_LIFETIME_SECONDS,
    acr: '1',
    amr: input.amr,
    appid: input.clientId,
    appidacr: '1', // 1 = the client authenticated with a secret
    family_name: user.surname,
    given_name: user.givenName,
    // A guest in another directory (GDAP) carries its home directory as identity provider.
    ...(input.tenantId !== user.tenantId ? { idp: `https://sts.windows.net/${user.tenantId}/` } : {}),
    ipaddr: input.ipaddr,
    name: user.displayName,
    oid: user.id,
    scp,
    tenant_region_scope: 'NA',
    tid: input.tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  const key = state.signingKey;
  const token = signJwt({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid }, claims, key.privateKeyPem);
  const scope = resource === GRAPH_RESOURCE ? scp : resourceScopes.map((name) => `${resource}/${name}`).join(' ');
  return { token, resource, scope };
}

export type RefreshTokenInput = Omit<RefreshTokenRecord, 'hash' | 'issuedAt' | 'lastUsedAt' | 'revokedAt'>;

// Opaque, like Microsoft's; only its hash is kept.
export function issueRefreshToken(state: EmulatorState, input: RefreshTokenInput): string {
  const token = `1.AQ${randomBytes(96).toString('base64url')}`;
  const now = state.now();
  const record: RefreshTokenRecord = { ...input, hash: hashToken(token), issuedAt: now, lastUsedAt: now };
  state.identity.refreshTokens.set(record.hash, record);
  return token;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

// `sub` is pairwise: the same user gets a different subject in every app.
export function pairwiseSubject(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}${clientId}`).digest('base64url');
}

// Control API: the next N id_tokens carry chosen claim values (null removes a claim), so app
// tests can prove the app rejects a wrong issuer, audience or nonce.
function applyIdTokenOverride(state: EmulatorState, claims: Record<string, unknown>): void {
  const override = state.identity.idTokenOverrides[0];
  if (!override) return;
  for (const [name, value] of Object.entries(override.claims)) {
    if (value === null) delete claims[name];
    else claims[name] = value;
  }
  override.remaining -= 1;
  if (override.remaining <= 0) state.identity.idTokenOverrides.shift();
}
