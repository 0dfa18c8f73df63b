import { EventOutbox, type IntegrationEvent } from '../../../../shared/application/integration-event';
import { DirectoryProfile } from '../../application/ports/directory-profile.port';
import { OrganizationRepository } from '../../application/ports/organization.repository';
import { StaffInvitationRepository } from '../../application/ports/staff-invitation.repository';
import { StaffUserRepository } from '../../application/ports/staff-user.repository';
import type { Organization } from '../../domain/organization';
import type { StaffInvitation } from '../../domain/staff-invitation';
import type { StaffUser } from '../../domain/staff-user';

// In-memory fakes of the accounts ports, for use-case tests.
export class InMemoryOrganizationRepository extends OrganizationRepository {
  readonly rows = new Map<string, Organization>();
  async findById(id: string) {
    return this.rows.get(id) ?? null;
  }
  async findByEntraTenantId(entraTenantId: string) {
    return [...this.rows.values()].find((o) => o.entraTenantId === entraTenantId.toLowerCase()) ?? null;
  }
  add(organization: Organization) {
    this.rows.set(organization.id, organization);
  }
  async lockForPeopleChange() {}
}

export class InMemoryStaffUserRepository extends StaffUserRepository {
  readonly rows = new Map<string, StaffUser>();
  async findById(organizationId: string, id: string) {
    const user = this.rows.get(id);
    return user?.organizationId === organizationId ? user : null;
  }
  async findByEntraObjectId(organizationId: string, entraObjectId: string) {
    return (
      [...this.rows.values()].find((u) => u.organizationId === organizationId && u.entraObjectId === entraObjectId.toLowerCase()) ?? null
    );
  }
  async listByOrganization(organizationId: string) {
    return [...this.rows.values()].filter((u) => u.organizationId === organizationId);
  }
  add(user: StaffUser) {
    this.rows.set(user.id, user);
  }
  remove(user: StaffUser) {
    this.rows.delete(user.id);
  }
}

export class InMemoryStaffInvitationRepository extends StaffInvitationRepository {
  readonly rows = new Map<string, StaffInvitation>();
  async findById(organizationId: string, id: string) {
    const invitation = this.rows.get(id);
    return invitation?.organizationId === organizationId ? invitation : null;
  }
  async findByIdForSignIn(id: string) {
    return this.rows.get(id) ?? null;
  }
  async listOpen(organizationId: string, now: Date) {
    return [...this.rows.values()].filter((i) => i.organizationId === organizationId && i.isOpen(now)).reverse();
  }
  async findOpenFor(organizationId: string, addresses: string[], now: Date) {
    return [...this.rows.values()].find((i) => i.organizationId === organizationId && addresses.includes(i.email) && i.isOpen(now)) ?? null;
  }
  async findUnusedByEmail(organizationId: string, email: string) {
    return (
      [...this.rows.values()].find((i) => i.organizationId === organizationId && i.email === email && !i.acceptedAt && !i.revokedAt) ?? null
    );
  }
  add(invitation: StaffInvitation) {
    this.rows.set(invitation.id, invitation);
  }
}

export class FakeDirectoryProfile extends DirectoryProfile {
  constructor(private readonly answer: () => Promise<string | undefined>) {
    super();
  }
  organizationName() {
    return this.answer();
  }
}

export class RecordingOutbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}
