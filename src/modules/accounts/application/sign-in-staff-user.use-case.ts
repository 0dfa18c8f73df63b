import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { Organization } from '../domain/organization';
import { StaffUser, type MicrosoftIdentity } from '../domain/staff-user';
import { DirectoryProfile } from './ports/directory-profile.port';
import { OrganizationRepository } from './ports/organization.repository';
import { StaffUserRepository } from './ports/staff-user.repository';
import { isUniqueViolation } from '../../../shared/application/unique-violation';

export interface SignedInStaffUser {
  userId: string;
  organizationId: string;
  organizationCreated: boolean;
}

// The first sign-in from a directory creates its organization (named as Microsoft names the directory);
// later users of that directory join it.
@Injectable()
export class SignInStaffUserUseCase {
  private readonly logger = new Logger(SignInStaffUserUseCase.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly users: StaffUserRepository,
    private readonly directory: DirectoryProfile,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(identity: MicrosoftIdentity, accessToken: string | undefined): Promise<SignedInStaffUser> {
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
        organization = Organization.register({ id: randomUUID(), entraTenantId: identity.tenantId, name: newOrganizationName ?? identity.tenantId, now });
        this.organizations.add(organization);
      }
      let user = await this.users.findByEntraObjectId(organization.id, identity.objectId);
      if (user) {
        user.recordSignIn(identity, now);
      } else {
        user = StaffUser.join({ id: randomUUID(), organizationId: organization.id, identity, now });
        this.users.add(user);
      }
      return { userId: user.id, organizationId: organization.id, organizationCreated };
    });
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

