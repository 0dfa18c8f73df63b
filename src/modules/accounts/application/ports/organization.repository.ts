import type { Organization } from '../../domain/organization';

export abstract class OrganizationRepository {
  abstract findById(id: string): Promise<Organization | null>;
  abstract findByEntraTenantId(entraTenantId: string): Promise<Organization | null>;
  abstract add(organization: Organization): void;
  // Locks the organization's row until the transaction ends: changes to its people are made one at a time, so two
  // Owners demoting each other at once cannot leave it without an Owner.
  abstract lockForPeopleChange(id: string): Promise<void>;
}
