import type { PartnerCenterSubscription } from '../../../../../libs/microsoft/src';
import type { SubscriptionSnapshot } from '../../contracts/partner-center-directory';
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
    ...catalogueSkuOf(subscription),
  };
}

// links.sku names the catalogue SKU ("/products/CFQ7TTC0LH18/skus/0001?country=US", with or without /v1, FACTS.md
// §7a.8); the title is asked for separately (the adapter's catalogue names), so it is null here.
export function catalogueSkuOf(subscription: PartnerCenterSubscription): { catalogueProductId: string | null; catalogueSkuId: string | null; catalogueName: null } {
  const link = catalogueLink(subscription);
  return { catalogueProductId: link?.productId ?? null, catalogueSkuId: link?.skuId ?? null, catalogueName: null };
}

// The catalogue SKU and the country Partner Center named it for; undefined when the subscription has no such link.
export function catalogueLink(subscription: PartnerCenterSubscription): { productId: string; skuId: string; country: string | null } | undefined {
  const uri = text(subscription.links?.sku?.uri);
  if (!uri) return undefined;
  const parsed = /\/products\/([^/?#]+)\/skus\/([^/?#]+)(?:\?([^#]*))?/i.exec(uri);
  if (!parsed) return undefined;
  const country = new URLSearchParams(parsed[3] ?? '').get('country');
  return { productId: decodeURIComponent(parsed[1]), skuId: decodeURIComponent(parsed[2]), country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null };
}
