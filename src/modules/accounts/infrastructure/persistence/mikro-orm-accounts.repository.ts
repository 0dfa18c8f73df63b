import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OrganizationRepository } from '../../application/ports/organization.repository';
import { StaffUserRepository } from '../../application/ports/staff-user.repository';
import { Organization } from '../../domain/organization';
import { StaffUser } from '../../domain/staff-user';

@Injectable()
export class MikroOrmOrganizationRepository extends OrganizationRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  findById(id: string): Promise<Organization | null> {
    return this.em.findOne(Organization, { id });
  }

  findByEntraTenantId(entraTenantId: string): Promise<Organization | null> {
    return this.em.findOne(Organization, { entraTenantId: entraTenantId.toLowerCase() });
  }

  add(organization: Organization): void {
    this.em.persist(organization);
  }
}

@Injectable()
export class MikroOrmStaffUserRepository extends StaffUserRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  findById(organizationId: string, id: string): Promise<StaffUser | null> {
    return this.em.findOne(StaffUser, { organizationId, id });
  }

  findByEntraObjectId(organizationId: string, entraObjectId: string): Promise<StaffUser | null> {
    return this.em.findOne(StaffUser, { organizationId, entraObjectId: entraObjectId.toLowerCase() });
  }

  listByOrganization(organizationId: string): Promise<StaffUser[]> {
    return this.em.find(StaffUser, { organizationId }, { orderBy: { displayName: 'asc', id: 'asc' } });
  }

  add(user: StaffUser): void {
    this.em.persist(user);
  }
}
