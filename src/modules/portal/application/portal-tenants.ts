import { Injectable } from '@nestjs/common';
import { DelegatedAdminQueries } from '../../consent';
import { CustomerTenants } from '../../tenants';

export interface PortalTenant {
  organizationId: string;
  tenantId: string;
  companyName: string;
  // The customer's domains as imported (Partner Center's companyProfile.domain: one, its primary domain).
  domains: string[];
  delegatedAdminId: string;
  partnerName: string;
}

// A customer tenant of an organization as the portal needs it: its name, the delegated admin whose consent
// changes its subscriptions, and the partner's name for the portal's branding.
@Injectable()
export class PortalTenants {
  constructor(
    private readonly tenants: CustomerTenants,
    private readonly admins: DelegatedAdminQueries,
  ) {}

  // Null when the tenant is not (or no longer) an active customer of the organization.
  async find(organizationId: string, tenantId: string): Promise<PortalTenant | null> {
    const tenant = await this.tenants.find(organizationId, tenantId);
    if (!tenant || tenant.status !== 'active') return null;
    const admin = await this.admins.find(organizationId, tenant.delegatedAdminId);
    return {
      organizationId,
      tenantId: tenant.tenantId,
      companyName: tenant.companyName,
      domains: tenant.domain?.trim() ? [tenant.domain.trim().toLowerCase()] : [],
      delegatedAdminId: tenant.delegatedAdminId,
      partnerName: admin?.partnerDirectoryName?.trim() || 'your IT partner',
    };
  }
}
