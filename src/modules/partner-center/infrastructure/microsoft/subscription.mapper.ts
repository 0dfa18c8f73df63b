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
  };
}
