// What Sync 365 reads from Microsoft about a customer's licences and subscriptions, as plain values: the published
// language the partner-center module produces, the tenants module carries in its events and the licensing module
// records. Shared kernel (no module owns it), so each of them may use it down to its domain.

export interface SkuLicenceSnapshot {
  skuId: string;
  skuPartNumber: string;
  // Partner Center's product name when it sends one; the licensing catalogue names the rest.
  productName: string | null;
  capabilityStatus: string;
  // Units by state (Partner Center subscribedskus): total = active + warning, available = total − consumed.
  activeUnits: number;
  warningUnits: number;
  suspendedUnits: number;
  consumedUnits: number;
}

export interface SubscriptionSnapshot {
  id: string;
  offerId: string;
  offerName: string;
  friendlyName: string | null;
  quantity: number;
  unitType: string | null;
  termDuration: string | null;
  billingCycle: string;
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  // ISO-8601 dates, or null when Partner Center does not send them.
  creationDate: string | null;
  effectiveStartDate: string | null;
  commitmentEndDate: string | null;
  cancellationAllowedUntilDate: string | null;
  // New commerce (FACTS §7a.4), when Partner Center sends them: seats reducible now (refundableQuantity) and until
  // when the first of them is, and the quantity scheduled for the next term (scheduledNextTermInstructions).
  refundableQuantity?: number | null;
  refundableUntil?: string | null;
  scheduledQuantity?: number | null;
  // The Partner Center catalogue SKU it is (links.sku: /products/{productId}/skus/{skuId}) and the catalogue's title
  // for it (GET /v1/products/{productId}/skus/{skuId}?country=); null when Partner Center does not link or name it.
  catalogueProductId?: string | null;
  catalogueSkuId?: string | null;
  catalogueName?: string | null;
}

// A subscription in the customer's own directory (Graph companySubscription), whoever sold it.
export interface DirectorySubscriptionSnapshot {
  // Graph's id of the subscription in the directory.
  id: string;
  // The commerce subscription behind it: for what a partner sold, its Partner Center subscription id. Kept as sent.
  commerceSubscriptionId: string | null;
  // Lower case, like SkuLicenceSnapshot.skuId.
  skuId: string;
  skuPartNumber: string;
  // As Graph says it: 'Enabled', 'Warning', 'Suspended', 'LockedOut', 'Deleted'; 'Unknown' when not sent.
  status: string;
  totalLicenses: number;
  isTrial: boolean;
  // ISO-8601, or null when Graph does not send them.
  createdDateTime: string | null;
  nextLifecycleDateTime: string | null;
  // Graph's ownerTenantId: the partner tenant that sold it (null: bought from Microsoft directly, or not sent).
  ownerTenantId?: string | null;
  // Whether ownerTenantId is the delegated admin's own partner tenant: who sold it, as Microsoft records it (the
  // commerceSubscriptionId match only links it to a Partner Center subscription). Null: Graph did not say.
  soldByYou?: boolean | null;
}

// The customer's directory subscriptions, or why they could not be read this time (no usable GDAP relationship,
// no role that may read the directory): a plain reason, and nothing known from this read.
export type DirectorySubscriptionsRead =
  | { subscriptions: DirectorySubscriptionSnapshot[]; skuUnits?: DirectorySkuUnits[] }
  | { unreadable: string; refusedBy?: CustomerDirectoryRefusal };

// Set when Microsoft would not issue Sync 365 a token for the customer's directory at all (FACTS.md §3.1, §7a.2,
// §7a.7): no active GDAP relationship, the Sync 365 app not provisioned there (AADSTS65001), or the customer's
// Conditional Access (AADSTS50076/53003/53000). Absent when a token was issued and the read itself was refused.
export type CustomerDirectoryRefusal = 'no_gdap' | 'app_not_provisioned' | 'conditional_access';

// Per SKU, from the customer's directory (Graph subscribedSkus prepaidUnits): units Partner Center does not report.
export interface DirectorySkuUnits {
  // Lower case, like SkuLicenceSnapshot.skuId.
  skuId: string;
  // prepaidUnits.lockedOut: cancelled units that can no longer be reactivated.
  lockedOut: number;
}

// The customer's licences (Partner Center subscribedskus), or why Partner Center would not list them: it lists them
// only for a partner user with a licence-reading GDAP role in that customer (FACTS.md §7a.3). Unreadable licences are
// unknown, never zero.
export type SubscribedSkusRead = { skus: SkuLicenceSnapshot[] } | { unreadable: string };
