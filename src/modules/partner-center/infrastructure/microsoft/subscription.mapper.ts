import type { PartnerCenterSubscription } from '../../../../../libs/microsoft/src';
import type { SubscriptionSnapshot } from '../../contracts/partner-center-directory';
import type { SubscriptionCommerceState } from '../../contracts/subscription-changes';
import { count, isoDateTime, text, UnexpectedWireShapeError } from './wire-value.mapper';

export function toSubscriptionSnapshot(subscription: PartnerCenterSubscription): SubscriptionSnapshot {
  // Kept as sent: Sync 365 sends this id back to Partner Center (quantity changes, Direct CSP).
  const id = text(subscription.id);
  if (!id) throw new UnexpectedWireShapeError('a subscription has no id');
  return {
    id,
    // Legacy subscriptions, like Microsoft's own sample, have no offerId/offerName (FACTS.md §2.6): empty, and
    // the licensing catalogue names the product from the SKU.
    offerId: text(subscription.offerId) ?? '',
    offerName: text(subscription.offerName) ?? '',
    friendlyName: text(subscription.friendlyName) ?? null,
    quantity: count(subscription.quantity),
    unitType: text(subscription.unitType) ?? null,
    termDuration: text(subscription.termDuration) ?? null,
    // Partner Center's own members for "not said" (SDK BillingCycleType / SubscriptionStatus, FACTS.md §2.6).
    billingCycle: text(subscription.billingCycle)?.toLowerCase() ?? 'unknown',
    status: text(subscription.status)?.toLowerCase() ?? 'none',
    // Only an explicit true counts: renewing or trialling by default would overstate commitments.
    autoRenewEnabled: subscription.autoRenewEnabled === true,
    isTrial: subscription.isTrial === true,
    creationDate: isoDateTime(subscription.creationDate),
    effectiveStartDate: isoDateTime(subscription.effectiveStartDate),
    // The SDK carries the same date as commitmentEndDateTime on newer subscriptions (FACTS.md §2.6).
    commitmentEndDate: isoDateTime(subscription.commitmentEndDate) ?? isoDateTime(subscription.commitmentEndDateTime),
    cancellationAllowedUntilDate: isoDateTime(subscription.cancellationAllowedUntilDate),
    ...commerceFields(subscription),
    ...catalogueSkuOf(subscription),
  };
}

function commerceFields(
  subscription: PartnerCenterSubscription,
): Pick<SubscriptionSnapshot, 'refundableQuantity' | 'refundableUntil' | 'scheduledQuantity'> {
  const state = toSubscriptionCommerceState(subscription);
  return {
    refundableQuantity: state.refundableQuantity,
    refundableUntil: state.refundableUntil,
    scheduledQuantity: state.scheduledQuantity,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

// New commerce (FACTS §7a.4): refundableQuantity {totalQuantity, details[{quantity, allowedUntilDateTime}]},
// scheduledNextTermInstructions {product, quantity}, and the renewal day (renewals start at 00:00 UTC the day after
// the term's last day, create-scheduled-changes.md).
export function toSubscriptionCommerceState(subscription: PartnerCenterSubscription): SubscriptionCommerceState {
  const refundable = subscription.refundableQuantity;
  const windows = (refundable?.details ?? [])
    .filter((detail) => count(detail.quantity) > 0)
    .flatMap((detail) => (isoDateTime(detail.allowedUntilDateTime) ? [isoDateTime(detail.allowedUntilDateTime)!] : []))
    .sort();
  const scheduled = subscription.scheduledNextTermInstructions;
  const end = isoDateTime(subscription.commitmentEndDate) ?? isoDateTime(subscription.commitmentEndDateTime);
  const endDay = end ? Date.parse(end.slice(0, 10)) : null;
  return {
    quantity: count(subscription.quantity),
    refundableQuantity: refundable && typeof refundable.totalQuantity === 'number' ? count(refundable.totalQuantity) : null,
    refundableUntil: windows[0] ?? null,
    scheduledQuantity: scheduled && typeof scheduled.quantity === 'number' ? scheduled.quantity : null,
    renewsOn: endDay === null ? null : new Date(endDay + DAY_MS).toISOString(),
    autoRenewEnabled: subscription.autoRenewEnabled === true,
  };
}

// links.sku names the catalogue SKU ("/products/CFQ7TTC0LH18/skus/0001?country=US", with or without /v1, FACTS.md
// §7a.8); the title is asked for separately (the adapter's catalogue names), so it is null here.
export function catalogueSkuOf(subscription: PartnerCenterSubscription): {
  catalogueProductId: string | null;
  catalogueSkuId: string | null;
  catalogueName: null;
} {
  const link = catalogueLink(subscription);
  return { catalogueProductId: link?.productId ?? null, catalogueSkuId: link?.skuId ?? null, catalogueName: null };
}

// The catalogue SKU and the country Partner Center named it for; undefined when the subscription has no such link.
export function catalogueLink(
  subscription: PartnerCenterSubscription,
): { productId: string; skuId: string; country: string | null } | undefined {
  const uri = text(subscription.links?.sku?.uri);
  if (!uri) return undefined;
  const parsed = /\/products\/([^/?#]+)\/skus\/([^/?#]+)(?:\?([^#]*))?/i.exec(uri);
  if (!parsed) return undefined;
  const country = new URLSearchParams(parsed[3] ?? '').get('country');
  return {
    productId: decodeURIComponent(parsed[1]),
    skuId: decodeURIComponent(parsed[2]),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
  };
}
