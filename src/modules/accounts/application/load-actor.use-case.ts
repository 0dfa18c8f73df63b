import { Injectable } from '@nestjs/common';
import type { Actor, SessionPrincipal } from '../../../shared/application/actor';
import { OrganizationRepository } from './ports/organization.repository';
import { StaffUserRepository } from './ports/staff-user.repository';

// Re-reads the signed-in user on every request, so a removed user or organization loses access at once.
@Injectable()
export class LoadActorUseCase {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: StaffUserRepository,
  ) {}

  async execute(principal: SessionPrincipal): Promise<Actor | null> {
    const [organization, user] = await Promise.all([
      this.organizations.findById(principal.organizationId),
      this.users.findById(principal.organizationId, principal.userId),
    ]);
    if (!organization || !user) return null;
    return {
      userId: user.id,
      organizationId: organization.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      organizationName: organization.name,
      role: user.role,
    };
  }
}
