import type { Organization } from '../../domain/organization';

export abstract class OrganizationRepository {
  abstract findById(id: string): Promise<Organization | null>;
  abstract findByEntraTenantId(entraTenantId: string): Promise<Organization | null>;
  abstract add(organization: Organization): void;
}
