import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { isStaffRole, STAFF_ROLE_WORDS } from '../../../shared/domain/staff-role';
import { AuditTrail } from '../../audit';
import { isEmailAddress, StaffInvitation } from '../domain/staff-invitation';
import { AlreadyMemberError, InvitationEmailInvalidError, InvitationRoleInvalidError } from '../domain/people.errors';
import { INVITATION_CREATED, type InvitationCreatedPayload } from '../events';
import { StaffInvitationRepository } from './ports/staff-invitation.repository';
import { StaffUserRepository } from './ports/staff-user.repository';

// The link that signs an invited colleague in (GET /auth/invitations/:id on the dashboard).
export function invitationSignInUrl(appBaseUrl: string, invitationId: string): string {
  return `${appBaseUrl.replace(/\/$/, '')}/auth/invitations/${invitationId}`;
}

// An Owner invites a colleague of the organization's directory by address, with a role. Inviting an address again
// replaces its unused invitation (new role, new 14 days). Sending the e-mail is someone else's job: the
// InvitationCreated event carries what it needs.
@Injectable()
export class InviteStaffUserUseCase {
  constructor(
    private readonly users: StaffUserRepository,
    private readonly invitations: StaffInvitationRepository,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    actor: Actor;
    email: string;
    role: unknown;
    appBaseUrl: string;
  }): Promise<{ invitation: StaffInvitation; signInUrl: string }> {
    const { actor } = input;
    const email = input.email.trim().toLowerCase();
    if (!isEmailAddress(email)) throw new InvitationEmailInvalidError();
    if (!isStaffRole(input.role)) throw new InvitationRoleInvalidError();
    const role = input.role;
    return this.transaction.run(async () => {
      const now = this.clock.now();
      const members = await this.users.listByOrganization(actor.organizationId);
      if (members.some((member) => member.addresses().includes(email))) throw new AlreadyMemberError(email);
      const previous = await this.invitations.findUnusedByEmail(actor.organizationId, email);
      previous?.revoke(now);
      const invitation = StaffInvitation.create({
        id: randomUUID(),
        organizationId: actor.organizationId,
        email,
        role,
        invitedBy: { userId: actor.userId, name: actor.displayName },
        now,
      });
      this.invitations.add(invitation);
      const signInUrl = invitationSignInUrl(input.appBaseUrl, invitation.id);
      this.outbox.publish(
        integrationEvent<InvitationCreatedPayload>(
          INVITATION_CREATED,
          actor.organizationId,
          {
            invitationId: invitation.id,
            email,
            role,
            roleName: STAFF_ROLE_WORDS[role].name,
            organizationName: actor.organizationName,
            invitedByName: actor.displayName,
            signInUrl,
            expiresAt: invitation.expiresAt.toISOString(),
          },
          now,
        ),
      );
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'accounts.person-invited',
        subject: email,
        outcome: 'success',
        detail: `Invited as ${STAFF_ROLE_WORDS[role].name}${previous ? ', replacing an earlier invitation' : ''}.`,
      });
      return { invitation, signInUrl };
    });
  }
}
