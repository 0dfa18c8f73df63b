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
  // Cancelled units that cannot be reactivated (Graph prepaidUnits.lockedOut); 0 until the directory was read.
  lockedOut?: number;
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
  // New commerce (FACTS §7a.4): seats Partner Center lets be reduced now, and the quantity scheduled for the next
  // term; null (or absent) when Partner Center did not say.
  refundableQuantity?: number | null;
  scheduledQuantity?: number | null;
  readAt: string;
  // From the customer's directory subscription whose commerce subscription id is this subscription's id (Partner
  // Center's subscription carries no SKU id): its SKU, and the licences the directory shows for it. Null while no
  // directory subscription names it (not provisioned yet, gone, or the directory was never read).
  skuId: string | null;
  tenantUnits: number | null;
}

// When the customer's directory subscriptions were last read, and why the latest attempt since could not read
// them (they are then shown as of `readAt`).
export interface DirectoryReadView {
  // ISO-8601; null: never read.
  readAt: string | null;
  failure: { reason: string; at: string } | null;
}

export interface DirectorySubscriptionMatchView {
  // Graph's id of the subscription in the customer's directory.
  id: string;
  commerceSubscriptionId: string | null;
  skuId: string;
  skuPartNumber: string;
  // Named like the tenant's licences (catalogue, Partner Center's name, part number).
  productName: string;
  // As Graph says it: 'Enabled', 'Warning', 'Suspended', 'LockedOut', 'Deleted', or 'Unknown'.
  status: string;
  totalLicenses: number;
  // Graph's ownerTenantId: the partner tenant that sold it (null: bought from Microsoft, or not said).
  ownerTenantId: string | null;
  // Who sold it, as Microsoft records it (ownerTenantId is your partner tenant); without ownerTenantId, whether it is
  // one of your Partner Center subscriptions.
  soldByYou: boolean;
  isTrial: boolean;
  createdDateTime: string | null;
  nextLifecycleDateTime: string | null;
  // The partner's Partner Center subscription it is; null: not sold by you.
  partnerCenter: { id: string; offerName: string; quantity: number; status: string } | null;
}

export interface SkuSaleView {
  skuId: string;
  productName: string;
  // False: none of the SKU's directory subscriptions is one of your Partner Center subscriptions (not sold by you).
  // Null: the directory has never been read.
  soldByYou: boolean | null;
}

// The Partner Center subscriptions of a tenant matched to the subscriptions in its own directory (Graph's
// commerceSubscriptionId = Partner Center's subscription id).
export interface SubscriptionMatchesView {
  tenantId: string;
  directory: DirectoryReadView;
  // Ordered by product name.
  directorySubscriptions: DirectorySubscriptionMatchView[];
  // Partner Center subscriptions no directory subscription names; null: the directory has never been read.
  partnerCenterOnly: SubscriptionView[] | null;
  // One per licence (SKU) of the tenant, ordered by product name.
  skus: SkuSaleView[];
}

export abstract class LicensingQueries {
  abstract licencesOfTenant(organizationId: string, tenantId: string): Promise<LicenceView[]>;
  // The licences of each of these tenants (a page of them), as licencesOfTenant gives them, by lower-case tenant id:
  // this composition; the PostgreSQL read model answers a page with one statement.
  async licencesOfTenants(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, LicenceView[]>> {
    return eachTenant(tenantIds, (tenantId) => this.licencesOfTenant(organizationId, tenantId));
  }
  abstract subscriptionsOfTenant(organizationId: string, tenantId: string): Promise<SubscriptionView[]>;
  // The subscriptions of each of these tenants (a page of them), as subscriptionsOfTenant gives them, by lower-case
  // tenant id: this composition; the PostgreSQL read model answers a page with two statements instead of two per tenant.
  async subscriptionsOfTenants(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, SubscriptionView[]>> {
    return eachTenant(tenantIds, (tenantId) => this.subscriptionsOfTenant(organizationId, tenantId));
  }
  abstract subscriptionMatches(organizationId: string, tenantId: string): Promise<SubscriptionMatchesView>;
  // Every licence of the organization, ordered by tenant then product, streamed in batches of whole tenants (CSV
  // export; billing reads larger batches: fewer round trips for a whole organization).
  abstract allLicences(organizationId: string, options?: { tenantsPerBatch?: number }): AsyncIterable<LicenceView[]>;
  // How these licences (a batch of allLicences at a time, as read) are sold, in no particular order.
  abstract licenceSales(organizationId: string, licences: readonly Pick<LicenceView, 'tenantId' | 'skuId'>[]): Promise<LicenceSaleView[]>;

  // Every licence of the organization with how it is sold, in batches of whole tenants, ordered as allLicences: what
  // allLicences and licenceSales answer together, narrowed to what an invoice needs (billing reads a whole organization
  // this way). This is that composition; the PostgreSQL read model answers it with one set-based statement per batch.
  async *soldLicences(organizationId: string, options: { tenantsPerBatch?: number } = {}): AsyncIterable<SoldLicenceView[]> {
    for await (const licences of this.allLicences(organizationId, options)) {
      const sales = await this.licenceSales(organizationId, licences);
      const saleOf = new Map(sales.map((sale) => [`${sale.tenantId.toLowerCase()}|${sale.skuId.trim().toLowerCase()}`, sale]));
      yield licences.map((licence) => {
        const sale = saleOf.get(`${licence.tenantId.toLowerCase()}|${licence.skuId.trim().toLowerCase()}`);
        return {
          tenantId: licence.tenantId,
          skuId: licence.skuId,
          productName: licence.productName,
          purchased: licence.purchased,
          assigned: licence.assigned,
          soldByYou: sale?.soldByYou ?? null,
          subscriptions: sale?.subscriptions ?? [],
        };
      });
    }
  }
}

// How one licence (tenant × SKU) is sold, for billing: the Partner Center subscriptions its directory subscriptions
// name (their terms and billing cycles), and whether you sold it (null: the directory has never been read).
export interface LicenceSaleView {
  tenantId: string;
  skuId: string;
  soldByYou: boolean | null;
  subscriptions: { id: string; quantity: number; termDuration: string | null; billingCycle: string; status: string }[];
}

// One licence (tenant × SKU) with how it is sold (LicenceSaleView's answer for it): its name and seat counts as
// LicenceView gives them, nothing else.
export interface SoldLicenceView {
  tenantId: string;
  skuId: string;
  productName: string;
  purchased: number;
  assigned: number;
  soldByYou: boolean | null;
  subscriptions: LicenceSaleView['subscriptions'];
}

// A read of one tenant made for each of these, one after the other, by lower-case tenant id.
async function eachTenant<T>(tenantIds: readonly string[], read: (tenantId: string) => Promise<T>): Promise<Map<string, T>> {
  const byTenant = new Map<string, T>();
  for (const tenantId of tenantIds) byTenant.set(tenantId.toLowerCase(), await read(tenantId));
  return byTenant;
}
