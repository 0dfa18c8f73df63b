import type { PortalUser } from '../../domain/portal-user';

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
  abstract save(user: PortalUser): Promise<void>;
  abstract remove(organizationId: string, id: string): Promise<void>;
}
