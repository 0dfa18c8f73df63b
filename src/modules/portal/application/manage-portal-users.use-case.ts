import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { isUniqueViolation } from '../../../shared/application/unique-violation';
import { AuditTrail, type AuditAction } from '../../audit';
import {
  InvalidPortalUserError,
  PortalRoleForbiddenError,
  PortalTenantNotFoundError,
  PortalUserAlreadyExistsError,
  PortalUserNotFoundError,
} from '../domain/portal.errors';
import {
  checkInCustomerDomains,
  checkManagerMayChange,
  isPortalRole,
  mayManageUsers,
  PORTAL_ROLE_LABELS,
  sameUserPrincipalName,
  userPrincipalNameOf,
  type PortalRole,
  type PortalUser,
  type PortalUserManager,
} from '../domain/portal-user';
import { CustomerDomains } from './ports/customer-domains.port';
import { PortalUserRepository } from './ports/portal-user.repository';
import { PortalTenants, type PortalTenant } from './portal-tenants';
import { auditNameOf, type PortalViewer } from './portal-viewer';

// Who manages a tenant's portal users: the partner's staff in the dashboard, or a portal Admin of that tenant.
export type PortalUsersManager = { kind: 'partner'; actor: Actor } | { kind: 'portal'; viewer: PortalViewer };

interface Managed {
  tenant: PortalTenant;
  manager: PortalUserManager;
  audit: { organizationId: string; actorUserId: string | null; actorName: string };
}

// Adds portal users by sign-in name, changes their role, removes them; every change audit logged.
@Injectable()
export class ManagePortalUsersUseCase {
  private readonly logger = new Logger('Portal');

  constructor(
    private readonly users: PortalUserRepository,
    private readonly tenants: PortalTenants,
    private readonly domains: CustomerDomains,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async add(by: PortalUsersManager, tenantId: string, input: { userPrincipalName: unknown; role: unknown }): Promise<PortalUser> {
    const { tenant, audit } = await this.managed(by, tenantId);
    const userPrincipalName = userPrincipalNameOf(input.userPrincipalName);
    checkInCustomerDomains(userPrincipalName, {
      companyName: tenant.companyName,
      domains: await this.customerDomains(tenant, userPrincipalName),
    });
    const role = roleOf(input.role);
    const user: PortalUser = {
      id: randomUUID(),
      organizationId: tenant.organizationId,
      tenantId: tenant.tenantId,
      userPrincipalName,
      objectId: null,
      displayName: null,
      role,
      addedBy: { kind: by.kind, name: by.kind === 'partner' ? by.actor.displayName : by.viewer.displayName },
      addedAt: this.clock.now(),
      lastSignInAt: null,
    };
    try {
      await this.transaction.run(async () => {
        const existing = await this.users.ofTenant(tenant.organizationId, tenant.tenantId);
        if (existing.some((other) => sameUserPrincipalName(other.userPrincipalName, userPrincipalName)))
          throw new PortalUserAlreadyExistsError(userPrincipalName);
        await this.users.add(user);
        this.record(
          audit,
          'portal.user-added',
          `${userPrincipalName} at ${tenant.companyName}`,
          `Added with the role ${PORTAL_ROLE_LABELS[role]}.`,
        );
      });
    } catch (error) {
      // Added by someone else at the same moment.
      if (isUniqueViolation(error)) throw new PortalUserAlreadyExistsError(userPrincipalName);
      throw error;
    }
    return user;
  }

  async changeRole(by: PortalUsersManager, tenantId: string, portalUserId: string, role: unknown): Promise<PortalUser> {
    const { tenant, manager, audit } = await this.managed(by, tenantId);
    const newRole = roleOf(role);
    return this.transaction.run(async () => {
      const user = await this.target(tenant, portalUserId);
      checkManagerMayChange(manager, user);
      if (user.role === newRole) return user;
      const changed = { ...user, role: newRole };
      if (!(await this.users.changeRole(tenant.organizationId, user.id, newRole))) throw new PortalUserNotFoundError();
      this.record(
        audit,
        'portal.user-role-changed',
        `${user.userPrincipalName} at ${tenant.companyName}`,
        `Role changed from ${PORTAL_ROLE_LABELS[user.role]} to ${PORTAL_ROLE_LABELS[newRole]}.`,
      );
      return changed;
    });
  }

  async remove(by: PortalUsersManager, tenantId: string, portalUserId: string): Promise<PortalUser> {
    const { tenant, manager, audit } = await this.managed(by, tenantId);
    return this.transaction.run(async () => {
      const user = await this.target(tenant, portalUserId);
      checkManagerMayChange(manager, user);
      await this.users.remove(tenant.organizationId, user.id);
      this.record(
        audit,
        'portal.user-removed',
        `${user.userPrincipalName} at ${tenant.companyName}`,
        `Removed (was ${PORTAL_ROLE_LABELS[user.role]}).`,
      );
      return user;
    });
  }

  // The domain Partner Center names, and — when the address is not in it — the domains the customer verified in its
  // directory (read through GDAP). Partner Center's alone when the directory cannot be read now: the refusal then
  // names only that one.
  private async customerDomains(tenant: PortalTenant, userPrincipalName: string): Promise<string[]> {
    const domain = userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1).toLowerCase();
    if (tenant.domains.includes(domain)) return tenant.domains;
    try {
      return [
        ...new Set([...tenant.domains, ...(await this.domains.verified(tenant.organizationId, tenant.delegatedAdminId, tenant.tenantId))]),
      ];
    } catch (error) {
      this.logger.warn(
        { err: error, tenantId: tenant.tenantId },
        'Could not read the customer’s verified domains; checking against Partner Center’s domain only',
      );
      return tenant.domains;
    }
  }

  private async managed(by: PortalUsersManager, tenantId: string): Promise<Managed> {
    if (by.kind === 'portal') {
      const { viewer } = by;
      if (!mayManageUsers(viewer.role)) throw new PortalRoleForbiddenError('manage the portal users', viewer.partnerName);
      // A portal Admin manages their own tenant only, whatever the address says.
      if (viewer.tenantId !== tenantId.toLowerCase()) throw new PortalUserNotFoundError();
      const tenant = await this.tenants.find(viewer.organizationId, viewer.tenantId);
      if (!tenant) throw new PortalTenantNotFoundError();
      return {
        tenant,
        manager: { kind: 'portal', portalUserId: viewer.portalUserId, partnerName: viewer.partnerName },
        audit: { organizationId: viewer.organizationId, actorUserId: null, actorName: auditNameOf(viewer) },
      };
    }
    const tenant = await this.tenants.find(by.actor.organizationId, tenantId);
    if (!tenant) throw new PortalTenantNotFoundError();
    return {
      tenant,
      manager: { kind: 'partner' },
      audit: { organizationId: by.actor.organizationId, actorUserId: by.actor.userId, actorName: by.actor.displayName },
    };
  }

  private async target(tenant: PortalTenant, portalUserId: string): Promise<PortalUser> {
    const user = await this.users.find(tenant.organizationId, portalUserId);
    if (!user || user.tenantId !== tenant.tenantId) throw new PortalUserNotFoundError();
    return user;
  }

  private record(audit: Managed['audit'], action: AuditAction, subject: string, detail: string): void {
    this.audit.record({ ...audit, action, subject, outcome: 'success', detail });
  }
}

function roleOf(value: unknown): PortalRole {
  if (!isPortalRole(value)) throw new InvalidPortalUserError('Choose a role: View, Modify or Admin.', undefined, 'role');
  return value;
}
