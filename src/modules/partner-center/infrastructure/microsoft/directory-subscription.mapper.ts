import type { GraphCompanySubscription } from '../../../../../libs/microsoft/src';
import type { DirectorySubscriptionSnapshot } from '../../contracts/partner-center-directory';
import { count, isoDateTime, lowerGuidOrText, text, UnexpectedWireShapeError } from './wire-value.mapper';

export function toDirectorySubscriptionSnapshot(subscription: GraphCompanySubscription): DirectorySubscriptionSnapshot {
  const id = text(subscription.id);
  if (!id) throw new UnexpectedWireShapeError('a directory subscription has no id');
  // Lower case: matched against Partner Center's subscribed SKUs and the SKU catalogue (FACTS.md §3.2).
  const skuId = lowerGuidOrText(subscription.skuId);
  if (!skuId) throw new UnexpectedWireShapeError('a directory subscription has no SKU id');
  return {
    id,
    // Kept as sent: it is compared with Partner Center's subscription ids without regard to case.
    commerceSubscriptionId: text(subscription.commerceSubscriptionId) ?? null,
    skuId,
    skuPartNumber: text(subscription.skuPartNumber) ?? '',
    // Absent means Graph did not say; "Unknown" is never mistaken for "Enabled".
    status: text(subscription.status) ?? 'Unknown',
    totalLicenses: count(subscription.totalLicenses),
    // Only an explicit true counts, as for Partner Center's isTrial.
    isTrial: subscription.isTrial === true,
    createdDateTime: isoDateTime(subscription.createdDateTime),
    nextLifecycleDateTime: isoDateTime(subscription.nextLifecycleDateTime),
  };
}
