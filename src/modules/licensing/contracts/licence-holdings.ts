// What customer tenants hold now, per SKU and per Partner Center subscription, from the licence records: the
// reconciliation snapshots it and compares it with its previous run. Plain values; always within one organization.

export interface HeldSku {
  skuId: string;
  skuPartNumber: string;
  // From the SKU catalogue, else Partner Center's or Microsoft's catalogue name, else the part number.
  productName: string;
  // Prepaid units that count: active + warning (purchasedSeats in domain/licence-totals.ts).
  purchased: number;
  assigned: number;
  available: number;
  suspended: number;
  warning: number;
  // Graph prepaidUnits.lockedOut (0 when not known).
  lockedOut: number;
  // null: unknown (the tenant's own directory subscriptions were never read).
  soldByYou: boolean | null;
  // The catalogue says the SKU is free (not billed).
  free: boolean;
}

export interface HeldSubscription {
  subscriptionId: string;
  // The SKU of the directory subscription that names it; null when none does.
  skuId: string | null;
  offerName: string;
  quantity: number;
  // The matching directory subscription's totalLicenses, null when unmatched or unknown.
  tenantUnits: number | null;
  billingCycle: string;
  termDuration: string | null;
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  commitmentEndDate: Date | null;
  cancellationAllowedUntilDate: Date | null;
  // New commerce (FACTS §7a.4), null when Partner Center did not say.
  refundableQuantity: number | null;
  refundableUntil: Date | null;
  scheduledQuantity: number | null;
}

export interface TenantHoldings {
  // Why Partner Center would not list the licences at the latest read (no licence-reading GDAP role): `skus` is then
  // empty (the stored rows are the last known, not current). Null: they were read.
  licencesUnreadable: string | null;
  skus: HeldSku[];
  subscriptions: HeldSubscription[];
}

export abstract class LicenceHoldings {
  // Keyed by the tenant ids asked for; a tenant without any record is absent (it holds nothing).
  abstract of(organizationId: string, tenantIds: readonly string[]): Promise<Map<string, TenantHoldings>>;
  // Every organization that has read the licences of at least one tenant (the daily reconciliation is for them).
  abstract organizationsWithLicences(): Promise<string[]>;
}
