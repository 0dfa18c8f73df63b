import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { InvitationNotFoundError } from '../domain/people.errors';
import type { StaffInvitation } from '../domain/staff-invitation';
import { StaffInvitationRepository } from './ports/staff-invitation.repository';

// An Owner withdraws an invitation that was not used yet: signing in with it is refused from then on.
@Injectable()
export class RevokeInvitationUseCase {
  constructor(
    private readonly invitations: StaffInvitationRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  execute(input: { actor: Actor; invitationId: string }): Promise<StaffInvitation> {
    const { actor } = input;
    return this.transaction.run(async () => {
      const now = this.clock.now();
      const invitation = await this.invitations.findById(actor.organizationId, input.invitationId);
      if (!invitation || !invitation.isOpen(now)) throw new InvitationNotFoundError();
      invitation.revoke(now);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'accounts.invitation-withdrawn',
        subject: invitation.email,
        outcome: 'success',
      });
      return invitation;
    });
  }
}
