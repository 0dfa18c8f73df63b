import { isGuid } from '../domain/guid';
export interface MicrosoftIdentityClaims {
  tenantId: string;
  objectId: string;
  userPrincipalName: string;
  displayName: string;
  email?: string;
}

const PERSONAL_ACCOUNTS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

// Who an id_token (already verified by passport-azure-ad: signature, audience, nonce, lifetime) says signed in,
// or null when its issuer is not exactly the issuer of its own `tid` or it names no user.
export function microsoftIdentity(claims: Record<string, unknown>, loginBaseUrl: string): MicrosoftIdentityClaims | null {
  const tid = typeof claims.tid === 'string' ? claims.tid : '';
  const oid = typeof claims.oid === 'string' ? claims.oid : '';
  if (!isGuid(tid) || !isGuid(oid) || claims.iss !== `${loginBaseUrl}/${tid}/v2.0`) return null;
  // Personal Microsoft accounts all share this tenant id (FACTS.md §1.8): they are not a partner's directory.
  if (tid.toLowerCase() === PERSONAL_ACCOUNTS_TENANT) return null;
  const upn = text(claims.preferred_username) ?? text(claims.upn) ?? text(claims.email) ?? oid;
  return { tenantId: tid.toLowerCase(), objectId: oid.toLowerCase(), userPrincipalName: upn, displayName: text(claims.name) ?? upn, email: text(claims.email) };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
