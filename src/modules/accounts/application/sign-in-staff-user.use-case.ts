import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { STAFF_ROLE_WORDS } from '../../../shared/domain/staff-role';
import { AuditTrail } from '../../audit';
import { InvitationOtherDirectoryError, NotInvitedError } from '../domain/accounts.errors';
import { Organization } from '../domain/organization';
import { StaffUser, type MicrosoftIdentity } from '../domain/staff-user';
import { DirectoryProfile } from './ports/directory-profile.port';
import { OrganizationRepository } from './ports/organization.repository';
import { StaffInvitationRepository } from './ports/staff-invitation.repository';
import { StaffUserRepository } from './ports/staff-user.repository';
import { isUniqueViolation } from '../../../shared/application/unique-violation';

export interface SignedInStaffUser {
  userId: string;
  organizationId: string;
  organizationCreated: boolean;
}

// The first sign-in from a directory creates its organization (named as Microsoft names the directory) and makes
// that user its Owner; later users of that directory join it only with an Owner's invitation naming their sign-in
// name or mail address, with the invitation's role. Anyone else of the directory is refused with the fix.
@Injectable()
export class SignInStaffUserUseCase {
  private readonly logger = new Logger(SignInStaffUserUseCase.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: StaffUserRepository,
    private readonly directory: DirectoryProfile,
    private readonly invitations: StaffInvitationRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  // `invitationId`: the invitation link the person opened before signing in, if any.
  async execute(identity: MicrosoftIdentity, accessToken: string | undefined, invitationId?: string): Promise<SignedInStaffUser> {
    if (invitationId) await this.refuseOtherDirectory(identity, invitationId);
    const existing = await this.organizations.findByEntraTenantId(identity.tenantId);
    const newOrganizationName = existing ? undefined : await this.nameForNewOrganization(identity, accessToken);
    try {
      return await this.signIn(identity, newOrganizationName);
    } catch (error) {
      // Two first users of one directory signing in at the same moment: the loser of the race joins the winner.
      if (isUniqueViolation(error)) return this.signIn(identity, newOrganizationName);
      throw error;
    }
  }

  private signIn(identity: MicrosoftIdentity, newOrganizationName: string | undefined): Promise<SignedInStaffUser> {
    return this.transaction.run(async () => {
      const now = this.clock.now();
      let organization = await this.organizations.findByEntraTenantId(identity.tenantId);
      const organizationCreated = !organization;
      if (!organization) {
        organization = Organization.register({
          id: randomUUID(),
          entraTenantId: identity.tenantId,
          name: newOrganizationName ?? identity.tenantId,
          now,
        });
        this.organizations.add(organization);
      }
      let user = await this.users.findByEntraObjectId(organization.id, identity.objectId);
      if (user) {
        user.recordSignIn(identity, now);
      } else if (organizationCreated) {
        user = StaffUser.join({ id: randomUUID(), organizationId: organization.id, identity, role: 'owner', now });
        this.users.add(user);
      } else {
        user = StaffUser.join({ id: randomUUID(), organizationId: organization.id, identity, role: 'viewer', now });
        const invitation = await this.invitations.findOpenFor(organization.id, user.addresses(), now);
        if (!invitation) throw new NotInvitedError(organization.name, identity.userPrincipalName);
        user.role = invitation.role;
        invitation.accept(user.id, now);
        this.users.add(user);
        this.audit.record({
          organizationId: organization.id,
          actorUserId: user.id,
          actorName: user.displayName,
          action: 'accounts.invitation-accepted',
          subject: user.userPrincipalName,
          outcome: 'success',
          detail: `Joined as ${STAFF_ROLE_WORDS[invitation.role].name}, invited by ${invitation.invitedByName} as ${invitation.email}.`,
        });
      }
      return { userId: user.id, organizationId: organization.id, organizationCreated };
    });
  }

  // An invitation is for its organization's own directory: someone signed in with another directory's account is
  // told so, and nothing is created for them (not even an organization of their own).
  private async refuseOtherDirectory(identity: MicrosoftIdentity, invitationId: string): Promise<void> {
    const invitation = await this.invitations.findByIdForSignIn(invitationId);
    if (!invitation) return;
    const organization = await this.organizations.findById(invitation.organizationId);
    if (organization && organization.entraTenantId !== identity.tenantId.toLowerCase()) {
      throw new InvitationOtherDirectoryError(organization.name, identity.userPrincipalName);
    }
  }

  private async nameForNewOrganization(identity: MicrosoftIdentity, accessToken: string | undefined): Promise<string> {
    const fallback = identity.userPrincipalName.includes('@') ? identity.userPrincipalName.split('@')[1] : identity.tenantId;
    if (!accessToken) return fallback;
    try {
      return (await this.directory.organizationName(accessToken)) ?? fallback;
    } catch (error) {
      // The organization can still be created; it is named after the user's domain instead.
      this.logger.warn({ err: error, tenantId: identity.tenantId }, 'Could not read the directory name from Microsoft Graph');
      return fallback;
    }
  }
}
