import type { PortalRole, PortalUser } from '../../domain/portal-user';

// Every method takes the organization, except the sign-in lookup, which is given the organizations that switched
// the portal on (a customer's person does not know their partner's organization). Writes join the caller's
// transaction.
export abstract class PortalUserRepository {
  abstract find(organizationId: string, id: string): Promise<PortalUser | null>;
  // By sign-in name.
  abstract ofTenant(organizationId: string, tenantId: string): Promise<PortalUser[]>;
  abstract ofTenantInOrganizations(organizationIds: string[], tenantId: string): Promise<PortalUser[]>;
  // Throws a unique violation when the tenant already has a user with that sign-in name.
  abstract add(user: PortalUser): Promise<void>;
  // Changes the role only (a sign-in at the same moment keeps what it records). False when the user is gone.
  abstract changeRole(organizationId: string, id: string, role: PortalRole): Promise<boolean>;
  // Records a sign-in without touching the role: binds the object id if none is bound yet, refreshes the name.
  // False when the user was removed meanwhile, or is bound to another object id.
  abstract recordSignIn(organizationId: string, id: string, objectId: string, displayName: string, at: Date): Promise<boolean>;
  abstract remove(organizationId: string, id: string): Promise<void>;
}
