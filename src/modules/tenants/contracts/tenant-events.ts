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
