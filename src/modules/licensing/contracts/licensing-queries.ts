// Read facade of the licensing module for other modules' pages and APIs. Always within one organization.

export interface LicenceView {
  tenantId: string;
  skuId: string;
  skuPartNumber: string;
  // From the SKU catalogue, else Partner Center's name, else the part number (never a bare GUID).
  productName: string;
  capabilityStatus: string;
  purchased: number;
  assigned: number;
  available: number;
  suspended: number;
  warning: number;
  readAt: string;
}

export interface SubscriptionView {
  tenantId: string;
  id: string;
  offerName: string;
  friendlyName: string | null;
  quantity: number;
  termDuration: string | null;
  billingCycle: string;
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  commitmentEndDate: string | null;
  cancellationAllowedUntilDate: string | null;
  readAt: string;
}

export abstract class LicensingQueries {
  abstract licencesOfTenant(organizationId: string, tenantId: string): Promise<LicenceView[]>;
  abstract subscriptionsOfTenant(organizationId: string, tenantId: string): Promise<SubscriptionView[]>;
  // Every licence of the organization, ordered by tenant then product, streamed in batches (CSV export).
  abstract allLicences(organizationId: string): AsyncIterable<LicenceView[]>;
}
