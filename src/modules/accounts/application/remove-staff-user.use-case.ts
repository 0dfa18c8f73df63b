import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Transaction } from '../../../shared/application/transaction';
import { STAFF_ROLE_WORDS } from '../../../shared/domain/staff-role';
import { AuditTrail } from '../../audit';
import { LastOwnerError, StaffUserNotFoundError } from '../domain/people.errors';
import type { StaffUser } from '../domain/staff-user';
import { OrganizationRepository } from './ports/organization.repository';
import { StaffUserRepository } from './ports/staff-user.repository';

// An Owner removes a member: their session ends at their next request, and signing in again needs a new
// invitation. The last Owner cannot be removed (not even by themselves).
@Injectable()
export class RemoveStaffUserUseCase {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: StaffUserRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  execute(input: { actor: Actor; userId: string }): Promise<StaffUser> {
    const { actor } = input;
    return this.transaction.run(async () => {
      await this.organizations.lockForPeopleChange(actor.organizationId);
      const user = await this.users.findById(actor.organizationId, input.userId);
      if (!user) throw new StaffUserNotFoundError();
      if (user.role === 'owner') {
        const owners = (await this.users.listByOrganization(actor.organizationId)).filter((member) => member.role === 'owner');
        if (owners.length <= 1) throw new LastOwnerError('remove');
      }
      this.users.remove(user);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'accounts.person-removed',
        subject: user.userPrincipalName,
        outcome: 'success',
        detail: `${user.displayName} (${STAFF_ROLE_WORDS[user.role].name}) no longer has access.`,
      });
      return user;
    });
  }
}
