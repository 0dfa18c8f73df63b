import { isGuid } from '../domain/guid';
export interface MicrosoftIdentityClaims {
  tenantId: string;
  objectId: string;
  // For display: the sign-in name, else the `email` claim, else the object id.
  userPrincipalName: string;
  // The directory's own sign-in name (`preferred_username`, else `upn`), or undefined. Only this may match a person
  // by name: the `email` claim is not verified (its owner or an admin can set any address there; "nOAuth").
  signInName?: string;
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
  const signInName = text(claims.preferred_username) ?? text(claims.upn);
  const upn = signInName ?? text(claims.email) ?? oid;
  return {
    tenantId: tid.toLowerCase(),
    objectId: oid.toLowerCase(),
    userPrincipalName: upn,
    signInName,
    displayName: text(claims.name) ?? upn,
    email: text(claims.email),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
