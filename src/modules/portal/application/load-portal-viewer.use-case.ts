import { Injectable } from '@nestjs/common';
import { SelfServicePortals } from '../../direct-csp';
import { nameOf } from '../domain/portal-user';
import { PortalUserRepository } from './ports/portal-user.repository';
import { PortalTenants } from './portal-tenants';
import type { PortalPrincipal, PortalViewer } from './portal-viewer';

// Re-reads the portal user on every request: removed, or the portal switched off, or the tenant gone from the
// partner's customers, and they are out at once (null).
@Injectable()
export class LoadPortalViewerUseCase {
  constructor(
    private readonly users: PortalUserRepository,
    private readonly portals: SelfServicePortals,
    private readonly tenants: PortalTenants,
  ) {}

  async execute(principal: PortalPrincipal): Promise<PortalViewer | null> {
    const user = await this.users.find(principal.organizationId, principal.portalUserId);
    if (!user) return null;
    const [enabled, tenant] = await Promise.all([
      this.portals.isEnabled(user.organizationId, user.tenantId),
      this.tenants.find(user.organizationId, user.tenantId),
    ]);
    if (!enabled || !tenant) return null;
    return {
      portalUserId: user.id,
      organizationId: user.organizationId,
      tenantId: user.tenantId,
      userPrincipalName: user.userPrincipalName,
      displayName: nameOf(user),
      role: user.role,
      companyName: tenant.companyName,
      partnerName: tenant.partnerName,
    };
  }
}
