// Read facade of the tenants module for other modules: which customer tenants an organization has, and through
// which delegated admin each was imported. Always within one organization.
export interface CustomerTenantSummary {
  tenantId: string;
  companyName: string;
  domain: string;
  delegatedAdminId: string;
  status: 'active' | 'removed';
}

export abstract class CustomerTenants {
  abstract find(organizationId: string, tenantId: string): Promise<CustomerTenantSummary | null>;
  // The active customers imported through one delegated admin, by name.
  abstract ofDelegatedAdmin(organizationId: string, delegatedAdminId: string): Promise<CustomerTenantSummary[]>;
  // Every active customer of the organization, by name.
  abstract active(organizationId: string): Promise<CustomerTenantSummary[]>;
}
