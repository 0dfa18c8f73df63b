import { InvalidPortalUserError, PortalSelfChangeForbiddenError, PortalUserOutsideCustomerError } from './portal.errors';

// A person of a customer tenant who may use the licence portal, added by the partner (or by a portal Admin of
// the same tenant) by their sign-in name. Their Microsoft object id is bound at their first sign-in, so a
// recycled sign-in name never lets someone else in.
export type PortalRole = 'view' | 'modify' | 'admin';

export const PORTAL_ROLES: readonly PortalRole[] = ['view', 'modify', 'admin'];

export const PORTAL_ROLE_LABELS: Record<PortalRole, string> = { view: 'View', modify: 'Modify', admin: 'Admin' };

export const PORTAL_ROLE_DESCRIPTIONS: Record<PortalRole, string> = {
  view: 'sees licences, subscriptions and requests',
  modify: 'may also request licence changes',
  admin: 'may also manage the portal users of the organization',
};

export interface PortalUser {
  id: string;
  organizationId: string;
  tenantId: string;
  userPrincipalName: string;
  // Bound at the first sign-in; null until then.
  objectId: string | null;
  displayName: string | null;
  role: PortalRole;
  addedBy: { kind: 'partner' | 'portal'; name: string };
  addedAt: Date;
  lastSignInAt: Date | null;
}

export function isPortalRole(value: unknown): value is PortalRole {
  return typeof value === 'string' && (PORTAL_ROLES as readonly string[]).includes(value);
}

export function mayRequestChanges(role: PortalRole): boolean {
  return role === 'modify' || role === 'admin';
}

export function mayManageUsers(role: PortalRole): boolean {
  return role === 'admin';
}

// A sign-in name as people type it: trimmed, compared without case (Entra ID treats UPNs case-insensitively).
export function userPrincipalNameOf(value: unknown): string {
  const upn = typeof value === 'string' ? value.trim() : '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(upn) || upn.length > 254) {
    throw new InvalidPortalUserError(
      'Enter the person’s Microsoft sign-in name, such as amelia.ortiz@adatum.example.',
      'It is the address they use to sign in to Microsoft 365.',
      'userPrincipalName',
    );
  }
  return upn;
}

// A sign-in name of the customer's own directory: its domain is one of the customer's domains (compared without
// case, as Entra ID does). A subdomain must be verified in its own right, so it is not accepted by its parent.
export function checkInCustomerDomains(userPrincipalName: string, customer: { companyName: string; domains: readonly string[] }): void {
  const domain = userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1).toLowerCase();
  if (!customer.domains.some((known) => known.trim().toLowerCase() === domain))
    throw new PortalUserOutsideCustomerError(userPrincipalName, customer.companyName, customer.domains);
}

export function sameUserPrincipalName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

// Whether the Microsoft account that signed in is this portal user: by object id once bound, before that by the
// directory's sign-in name (never by the unverified email claim: without a sign-in name, no match).
export function isSignedInAs(user: PortalUser, identity: { objectId: string; signInName?: string }): boolean {
  if (user.objectId) return user.objectId === identity.objectId.toLowerCase();
  return identity.signInName !== undefined && sameUserPrincipalName(user.userPrincipalName, identity.signInName);
}

// Who changes a tenant's portal users: the partner's staff (anyone), or a portal Admin of that tenant (the others).
export type PortalUserManager = { kind: 'partner' } | { kind: 'portal'; portalUserId: string; partnerName: string };

export function checkManagerMayChange(manager: PortalUserManager, target: PortalUser): void {
  if (manager.kind === 'portal' && manager.portalUserId === target.id) throw new PortalSelfChangeForbiddenError(manager.partnerName);
}

export function nameOf(user: Pick<PortalUser, 'displayName' | 'userPrincipalName'>): string {
  return user.displayName?.trim() || user.userPrincipalName;
}
