import type { SkuLicenceSnapshot, SubscriptionSnapshot } from '../../partner-center';

// Published once per customer tenant an import has read; the licensing module records the licences.
export const TENANT_LICENCES_READ = 'tenants.tenant-licences-read';

export interface TenantLicencesReadPayload {
  importRunId: string;
  delegatedAdminId: string;
  tenantId: string;
  readAt: string;
  skus: SkuLicenceSnapshot[];
  subscriptions: SubscriptionSnapshot[];
}

// An import could not read a delegated admin's customer list (Partner Center refused the account), or could.
export const CUSTOMER_LIST_REFUSED = 'tenants.customer-list-refused';
export const CUSTOMER_LIST_READ = 'tenants.customer-list-read';

export interface CustomerListPayload {
  importRunId: string;
  delegatedAdminId: string;
  // When the import began: what it learnt says nothing about a consent granted after that.
  importStartedAt: string;
  // For a refusal: why, in plain words.
  reason?: string;
}
