import type { GraphCompanySubscription, GraphSubscribedSku } from '../../../../../libs/microsoft/src';
import type { DirectorySkuUnits, DirectorySubscriptionSnapshot } from '../../contracts/partner-center-directory';
import { count, isoDateTime, lowerGuidOrText, text, UnexpectedWireShapeError } from './wire-value.mapper';

// `partnerTenantId`: the delegated admin's own partner tenant, to tell from ownerTenantId who sold the subscription
// (undefined: not known, so soldByYou stays unknown).
export function toDirectorySubscriptionSnapshot(
  subscription: GraphCompanySubscription,
  partnerTenantId?: string,
): DirectorySubscriptionSnapshot {
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
    ...ownership(subscription, partnerTenantId),
  };
}

// companysubscription.md: ownerTenantId is "the Microsoft partner tenant that created the subscription on a
// customer tenant" — null for what the customer bought from Microsoft directly. Absent (older Graph answers) says
// nothing about who sold it.
function ownership(
  subscription: GraphCompanySubscription,
  partnerTenantId: string | undefined,
): { ownerTenantId: string | null; soldByYou: boolean | null } {
  if (!('ownerTenantId' in subscription)) return { ownerTenantId: null, soldByYou: null };
  const owner = lowerGuidOrText(subscription.ownerTenantId) ?? null;
  if (partnerTenantId === undefined) return { ownerTenantId: owner, soldByYou: null };
  return { ownerTenantId: owner, soldByYou: owner !== null && owner === partnerTenantId.trim().toLowerCase() };
}

// Graph subscribedSkus (licenseunitsdetail.md): prepaidUnits.lockedOut are "units that are cancelled and can't be
// reactivated". A licence without a SKU id names nothing and is left out.
export function toDirectorySkuUnits(subscribed: GraphSubscribedSku): DirectorySkuUnits[] {
  const skuId = lowerGuidOrText(subscribed.skuId);
  return skuId ? [{ skuId, lockedOut: count(subscribed.prepaidUnits?.lockedOut) }] : [];
}
