import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OrganizationRepository } from '../../application/ports/organization.repository';
import { StaffInvitationRepository } from '../../application/ports/staff-invitation.repository';
import { StaffUserRepository } from '../../application/ports/staff-user.repository';
import { Organization } from '../../domain/organization';
import { StaffInvitation } from '../../domain/staff-invitation';
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

  async lockForPeopleChange(id: string): Promise<void> {
    await this.em
      .getConnection()
      .execute('select 1 from "organizations" where "id" = ? for update', [id], 'all', this.em.getTransactionContext());
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

  remove(user: StaffUser): void {
    this.em.remove(user);
  }
}

@Injectable()
export class MikroOrmStaffInvitationRepository extends StaffInvitationRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  findById(organizationId: string, id: string): Promise<StaffInvitation | null> {
    return isUuid(id) ? this.em.findOne(StaffInvitation, { organizationId, id }) : Promise.resolve(null);
  }

  findByIdForSignIn(id: string): Promise<StaffInvitation | null> {
    return isUuid(id) ? this.em.findOne(StaffInvitation, { id }) : Promise.resolve(null);
  }

  listOpen(organizationId: string, now: Date): Promise<StaffInvitation[]> {
    return this.em.find(
      StaffInvitation,
      { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  findOpenFor(organizationId: string, addresses: string[], now: Date): Promise<StaffInvitation | null> {
    if (addresses.length === 0) return Promise.resolve(null);
    return this.em.findOne(
      StaffInvitation,
      { organizationId, email: { $in: addresses }, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  findUnusedByEmail(organizationId: string, email: string): Promise<StaffInvitation | null> {
    return this.em.findOne(StaffInvitation, { organizationId, email, acceptedAt: null, revokedAt: null });
  }

  add(invitation: StaffInvitation): void {
    this.em.persist(invitation);
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
