import { skuKey, subscriptionState, termLabel } from '../../../shared/domain/licence-terms';

// One reconciliation run's view of an organization's customer tenants: what each tenant holds per SKU and what
// Partner Center sells it. Plain values, so two runs can be compared and problems found without any I/O.
export interface TenantPicture {
  tenantId: string;
  companyName: string;
  // false: this run could not read the tenant; skus/subscriptions then hold the last known values and say nothing new.
  read: boolean;
  failureReason: string | null;
  skus: SkuPicture[];
  subscriptions: SubscriptionPicture[];
  // Why Partner Center would not list the licences (no licence-reading GDAP role): `skus` then hold the last known
  // values and say nothing new (no changes, no SKU discrepancies), unlike a tenant that was not read at all, its
  // subscriptions are current. Absent/null: the licences were read.
  licencesUnreadable?: string | null;
}

export interface SkuPicture {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  // Tenant prepaid units that count: active + warning (purchasedSeats in licence-totals.ts).
  purchased: number;
  assigned: number;
  available: number;
  suspended: number;
  warning: number;
  // Graph prepaidUnits.lockedOut: cancelled units that cannot be reactivated (0 when not known).
  lockedOut?: number;
  // null: unknown (the tenant's own subscriptions could not be read).
  soldByYou: boolean | null;
  // The catalogue says the SKU is free (not billed).
  free: boolean;
}

export interface SubscriptionPicture {
  subscriptionId: string;
  skuId: string | null;
  offerName: string;
  // Partner Center quantity.
  quantity: number;
  // The matching directory subscription's totalLicenses, null when unmatched/unknown.
  tenantUnits: number | null;
  // 'monthly' | 'annual' | 'none' | … as Partner Center sends it.
  billingCycle: string;
  // 'P1M' | 'P1Y' | 'P3Y'; null on legacy subscriptions.
  termDuration: string | null;
  // 'active' | 'suspended' | 'deleted' | 'expired' | 'pending' | …
  status: string;
  autoRenewEnabled: boolean;
  isTrial: boolean;
  commitmentEndDate: Date | null;
  cancellationAllowedUntilDate: Date | null;
  // New commerce (FACTS §7a.4), when Partner Center said them: the seats that can be reduced now
  // (refundableQuantity) and until when the first of them can. Absent or null: only the term's window is known.
  refundableQuantity?: number | null;
  refundableUntil?: Date | null;
  // The quantity already scheduled for the next term (a change at renewal), null or absent when none.
  scheduledQuantity?: number | null;
}

// What a subscription's status and term mean (the portal reads them the same way, from the shared domain).
export { isMonthlyTerm, subscriptionState, termLabel, type SubscriptionState } from '../../../shared/domain/licence-terms';

export function sameSku(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && skuKey(a) === skuKey(b);
}

export function skuName(sku: Pick<SkuPicture, 'productName' | 'skuPartNumber'>): string {
  return sku.productName.trim() || sku.skuPartNumber.trim() || 'Unnamed Microsoft product';
}

export function offerLabel(subscription: SubscriptionPicture, withTerm: boolean): string {
  const name = subscription.offerName.trim() || 'Unnamed subscription';
  const term = withTerm ? termLabel(subscription) : null;
  return term ? `${name} (${term})` : name;
}

// One entry per SKU and per subscription: should a picture list one twice, the last entry wins (as in
// LicensedTenant.record).
export function skusOf(tenant: TenantPicture): SkuPicture[] {
  return [...new Map(tenant.skus.map((s) => [skuKey(s.skuId), s])).values()];
}

export function subscriptionsOf(tenant: TenantPicture): SubscriptionPicture[] {
  return [...new Map(tenant.subscriptions.map((s) => [s.subscriptionId, s])).values()];
}

// Tenants in the order people read them: by company name, then id so equal names stay put.
export function compareTenants(a: { companyName: string; tenantId: string }, b: { companyName: string; tenantId: string }): number {
  return compareText(a.companyName.trim().toLowerCase(), b.companyName.trim().toLowerCase()) || compareText(a.tenantId, b.tenantId);
}

// Code-point order: the same on every machine, whatever its locale data.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The seats Partner Center sells the tenant of one SKU: its active subscriptions that the directory names with
// that SKU; null when none does.
export function partnerCenterQuantity(tenant: Pick<TenantPicture, 'subscriptions'>, skuId: string): number | null {
  const sold = tenant.subscriptions.filter(
    (subscription) => sameSku(subscription.skuId, skuId) && subscriptionState(subscription.status) === 'active',
  );
  return sold.length > 0 ? sold.reduce((sum, subscription) => sum + subscription.quantity, 0) : null;
}
