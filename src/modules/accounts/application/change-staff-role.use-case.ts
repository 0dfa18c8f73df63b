import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Transaction } from '../../../shared/application/transaction';
import { isStaffRole, STAFF_ROLE_WORDS } from '../../../shared/domain/staff-role';
import { AuditTrail } from '../../audit';
import { InvitationRoleInvalidError, LastOwnerError, StaffUserNotFoundError } from '../domain/people.errors';
import type { StaffUser } from '../domain/staff-user';
import { OrganizationRepository } from './ports/organization.repository';
import { StaffUserRepository } from './ports/staff-user.repository';

// An Owner sets a member's role. The organization always keeps at least one Owner (changes to its people are
// serialized by a lock on the organization, so two Owners demoting each other at once cannot both succeed).
// The new role applies from the member's next request (the role is re-read on every request).
@Injectable()
export class ChangeStaffRoleUseCase {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: StaffUserRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  // Returns the member and whether anything changed (choosing the role they already have records nothing).
  execute(input: { actor: Actor; userId: string; role: unknown }): Promise<{ user: StaffUser; changed: boolean }> {
    const { actor } = input;
    if (!isStaffRole(input.role)) throw new InvitationRoleInvalidError();
    const role = input.role;
    return this.transaction.run(async () => {
      await this.organizations.lockForPeopleChange(actor.organizationId);
      const user = await this.users.findById(actor.organizationId, input.userId);
      if (!user) throw new StaffUserNotFoundError();
      if (user.role === role) return { user, changed: false };
      if (user.role === 'owner') {
        const owners = (await this.users.listByOrganization(actor.organizationId)).filter((member) => member.role === 'owner');
        if (owners.length <= 1) throw new LastOwnerError('demote');
      }
      const before = user.role;
      user.role = role;
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'accounts.role-changed',
        subject: user.userPrincipalName,
        outcome: 'success',
        detail: `${STAFF_ROLE_WORDS[before].name} → ${STAFF_ROLE_WORDS[role].name}.`,
      });
      return { user, changed: true };
    });
  }
}
