import { OIDC_SCOPES, type Scope } from './scopes';

export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type Prompt = 'login' | 'none' | 'consent' | 'select_account';

export interface AuthorizeRequest {
  tenantSegment: string; // as written in the URL; the sign-in forms post back under it
  tenantId?: string; // set when the URL names one directory
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  wantsCode: boolean;
  wantsIdToken: boolean;
  scopes: Scope[];
  // `.default` was asked for: the consent covers the app registration's static permissions, every resource.
  staticConsent: boolean;
  state?: string;
  nonce?: string;
  prompt?: Prompt;
  loginHint?: string;
  domainHint?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

export interface ConsentGrant {
  userId: string;
  clientId: string;
  scopes: Scope[];
}

// Admin consent "on behalf of your organization": every user of the directory is covered.
export interface TenantConsentGrant {
  tenantId: string;
  clientId: string;
  scopes: Scope[];
}

export interface RefreshTokenRecord {
  hash: string; // SHA-256 of the token: the token itself is never stored
  userId: string;
  tenantId: string;
  clientId: string;
  scopes: Scope[]; // scopes of the sign-in, used when a refresh request names none
  amr: string[]; // remembers whether the user passed MFA when signing in
  ipaddr: string;
  issuedAt: number;
  lastUsedAt: number;
  revokedAt?: number;
}

export interface SsoAccount {
  userId: string;
  mfa: boolean;
  authTime: number;
}

export interface SsoSession {
  hash: string; // SHA-256 of the cookie value
  accounts: SsoAccount[]; // most recently used first
}

// Microsoft: authorization codes live about 10 minutes.
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  tenantId: string;
  scopes: Scope[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  amr: string[];
  ipaddr: string;
  issuedAt: number;
  redeemed: boolean;
}

// One walk through the sign-in pages, from /authorize to the redirect back to the app.
export interface LoginTransaction {
  id: string;
  request: AuthorizeRequest;
  userId?: string;
  mfaDone: boolean;
  ipaddr: string;
  createdAt: number;
  // Set for GET /{tenant}/v2.0/adminconsent: the sign-in ends on the admin consent page.
  adminConsent?: { scope: string };
}

export interface IdTokenOverride {
  claims: Record<string, unknown>;
  remaining: number;
}

export interface PersistedIdentityState {
  grants: ConsentGrant[];
  tenantGrants?: TenantConsentGrant[];
  refreshTokens: RefreshTokenRecord[];
  ssoSessions: SsoSession[];
}

export class IdentityState {
  grants: ConsentGrant[] = [];
  tenantGrants: TenantConsentGrant[] = [];
  refreshTokens = new Map<string, RefreshTokenRecord>();
  ssoSessions = new Map<string, SsoSession>();
  // Short-lived; deliberately not persisted.
  codes = new Map<string, AuthorizationCode>();
  transactions = new Map<string, LoginTransaction>();
  idTokenOverrides: IdTokenOverride[] = [];

  clear(): void {
    this.grants = [];
    this.tenantGrants = [];
    this.refreshTokens.clear();
    this.ssoSessions.clear();
    this.codes.clear();
    this.transactions.clear();
    this.idTokenOverrides = [];
  }

  grantedScopes(userId: string, clientId: string): Scope[] {
    return this.grants.find((grant) => grant.userId === userId && grant.clientId === clientId)?.scopes ?? [];
  }

  // What the user may use without being asked: their own consent plus their directory's admin consent.
  grantedScopesFor(user: { id: string; tenantId: string }, clientId: string): Scope[] {
    const tenantGrant = this.tenantGrants.find((grant) => grant.tenantId === user.tenantId && grant.clientId === clientId);
    return [...new Set([...this.grantedScopes(user.id, clientId), ...(tenantGrant?.scopes ?? [])])];
  }

  // An admin's consent for the organization covers the sign-in basics too (openid, profile, email,
  // offline_access are Graph delegated permissions every registration carries).
  grantForTenant(tenantId: string, clientId: string, consented: Scope[]): void {
    const scopes = [...new Set([...consented, ...Object.keys(OIDC_SCOPES)])];
    const existing = this.tenantGrants.find((grant) => grant.tenantId === tenantId && grant.clientId === clientId);
    if (existing) existing.scopes = [...new Set([...existing.scopes, ...scopes])];
    else this.tenantGrants.push({ tenantId, clientId, scopes: [...scopes] });
  }

  grant(userId: string, clientId: string, scopes: Scope[]): void {
    const existing = this.grants.find((grant) => grant.userId === userId && grant.clientId === clientId);
    if (existing) existing.scopes = [...new Set([...existing.scopes, ...scopes])];
    else this.grants.push({ userId, clientId, scopes: [...scopes] });
  }

  toPersisted(): PersistedIdentityState {
    return {
      grants: this.grants,
      tenantGrants: this.tenantGrants,
      refreshTokens: [...this.refreshTokens.values()],
      ssoSessions: [...this.ssoSessions.values()],
    };
  }

  restore(persisted: PersistedIdentityState): void {
    this.grants = persisted.grants ?? [];
    this.tenantGrants = persisted.tenantGrants ?? [];
    this.refreshTokens = new Map((persisted.refreshTokens ?? []).map((record) => [record.hash, record]));
    this.ssoSessions = new Map((persisted.ssoSessions ?? []).map((session) => [session.hash, session]));
  }
}
