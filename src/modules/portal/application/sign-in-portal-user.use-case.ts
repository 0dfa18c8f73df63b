import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import type { MicrosoftIdentityClaims } from '../../../shared/application/microsoft-identity';
import { Transaction } from '../../../shared/application/transaction';
import { SelfServicePortals } from '../../direct-csp';
import { PortalAccessRefusedError } from '../domain/portal.errors';
import { isSignedInAs, mayManageUsers, nameOf, type PortalUser } from '../domain/portal-user';
import { PortalUserRepository } from './ports/portal-user.repository';
import { SignedInDirectory } from './ports/signed-in-directory.port';
import { PortalTenants, type PortalTenant } from './portal-tenants';
import type { PortalPrincipal } from './portal-viewer';

export interface PortalMembership extends PortalPrincipal {
  companyName: string;
  partnerName: string;
}

// Lets a customer tenant's person in when a partner switched the portal on for their tenant and added them:
// binds their Microsoft object id at the first sign-in. Everyone else is refused with the reason and who to ask.
// Before the binding a person is matched by their directory's sign-in name only (preferred_username or upn, else
// Graph's userPrincipalName), never by the unverified email claim.
// Usually one partner sells to a tenant; when several have the portal on, the person picks one.
@Injectable()
export class SignInPortalUserUseCase {
  private readonly logger = new Logger(SignInPortalUserUseCase.name);

  constructor(
    private readonly portals: SelfServicePortals,
    private readonly tenants: PortalTenants,
    private readonly users: PortalUserRepository,
    private readonly directory: SignedInDirectory,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(identity: MicrosoftIdentityClaims, accessToken: string | undefined): Promise<PortalMembership[]> {
    const organizations = await this.portals.organizationsWithPortal(identity.tenantId);
    const tenants = (await Promise.all(organizations.map((organizationId) => this.tenants.find(organizationId, identity.tenantId)))).filter(
      (t): t is PortalTenant => t !== null,
    );
    if (tenants.length === 0) throw await this.noPortal(identity, accessToken);

    const candidates = await this.users.ofTenantInOrganizations(
      tenants.map((t) => t.organizationId),
      identity.tenantId,
    );
    const signInName = await this.signInNameOf(identity, accessToken, candidates);
    const matched = candidates.filter((user) => isSignedInAs(user, { objectId: identity.objectId, signInName }));
    if (matched.length === 0) throw this.notAdded(identity, tenants, candidates);

    // Recorded column by column, so a role change or removal committed since the read above stands; a person
    // removed meanwhile is not let in.
    const now = this.clock.now();
    const recorded = await this.transaction.run(async () => {
      const kept: PortalUser[] = [];
      for (const user of matched) {
        if (await this.users.recordSignIn(user.organizationId, user.id, identity.objectId.toLowerCase(), identity.displayName, now))
          kept.push(user);
      }
      return kept;
    });
    if (recorded.length === 0) throw this.notAdded(identity, tenants, candidates);
    const tenantOf = new Map(tenants.map((t) => [t.organizationId, t]));
    return recorded
      .map((user) => ({
        portalUserId: user.id,
        organizationId: user.organizationId,
        companyName: tenantOf.get(user.organizationId)!.companyName,
        partnerName: tenantOf.get(user.organizationId)!.partnerName,
      }))
      .sort((a, b) => a.partnerName.localeCompare(b.partnerName));
  }

  // The id_token's sign-in name, else (a token without preferred_username and upn) Graph's, read only when someone
  // is still waiting for their first sign-in.
  private async signInNameOf(
    identity: MicrosoftIdentityClaims,
    accessToken: string | undefined,
    candidates: PortalUser[],
  ): Promise<string | undefined> {
    if (identity.signInName || !accessToken || !candidates.some((user) => user.objectId === null)) return identity.signInName;
    try {
      return (await this.directory.signInName(accessToken)) ?? undefined;
    } catch (error) {
      // Without it only an already bound object id lets the person in.
      this.logger.warn({ err: error, tenantId: identity.tenantId }, 'Could not read the signed-in user from Microsoft Graph');
      return undefined;
    }
  }

  private notAdded(identity: MicrosoftIdentityClaims, tenants: PortalTenant[], candidates: PortalUser[]): PortalAccessRefusedError {
    const admins = candidates.filter((user) => mayManageUsers(user.role)).map(nameOf);
    const tenant = tenants[0];
    const askAdmins =
      admins.length > 0 ? `${admins.slice(0, 3).join(', ')} (Admin${admins.length === 1 ? '' : 's'} of your licence portal) or ` : '';
    return new PortalAccessRefusedError(
      'PORTAL.USER_NOT_ADDED_FORBIDDEN',
      `${identity.userPrincipalName} is not a user of the licence portal of ${tenant.companyName}.`,
      `Ask ${askAdmins}${tenants.map((t) => t.partnerName).join(' or ')} to add you as a portal user.`,
    );
  }

  // No partner has the portal on for this directory: either it is a partner's own directory (staff belong in the
  // dashboard) or a customer whose partner has not switched the portal on.
  private async noPortal(identity: MicrosoftIdentityClaims, accessToken: string | undefined): Promise<PortalAccessRefusedError> {
    let partnerDirectory = false;
    if (accessToken) {
      try {
        partnerDirectory = await this.directory.isPartnerDirectory(accessToken);
      } catch (error) {
        // Only the wording of the refusal depends on it.
        this.logger.warn({ err: error, tenantId: identity.tenantId }, 'Could not read the signed-in directory from Microsoft Graph');
      }
    }
    if (partnerDirectory) {
      return new PortalAccessRefusedError(
        'PORTAL.PARTNER_STAFF_FORBIDDEN',
        `${identity.userPrincipalName} belongs to a Microsoft partner’s own organization. The licence portal is for the people of your customers; partner staff work in the Sync 365 dashboard.`,
        'Sign in to the Sync 365 dashboard instead. To see the portal as a customer does, add one of the customer’s people as a portal user.',
      );
    }
    return new PortalAccessRefusedError(
      'PORTAL.NOT_AVAILABLE_FORBIDDEN',
      `Your organization has no licence portal in Sync 365, so ${identity.userPrincipalName} cannot sign in here.`,
      'Ask the IT partner who manages your Microsoft 365 licences to switch the licence portal on for your organization and add you.',
    );
  }
}
