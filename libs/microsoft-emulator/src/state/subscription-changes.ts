import { capabilityStatusOf, etagFor, subscribedSkuFor, unitBucketOf } from '../scenario/customer-builder';
import type { Customer, Subscription, SubscriptionStatus } from '../scenario/scenario';

// A Partner Center subscription and the tenant's licence counts move together, as in Microsoft 365:
// more seats bought ⇒ more prepaid units; a suspended subscription's seats move to "suspended".

export function changeQuantity(customer: Customer, subscription: Subscription, quantity: number): void {
  const subscribed = subscribedSkuFor(customer, subscription.skuId);
  const bucket = unitBucketOf(subscription.status);
  subscribed.prepaidUnits[bucket] = Math.max(0, subscribed.prepaidUnits[bucket] + quantity - subscription.quantity);
  subscribed.capabilityStatus = capabilityStatusOf(subscribed);
  subscription.quantity = quantity;
  touch(subscription);
}

export function changeStatus(customer: Customer, subscription: Subscription, status: SubscriptionStatus): void {
  const from = unitBucketOf(subscription.status);
  const to = unitBucketOf(status);
  if (from !== to) {
    const subscribed = subscribedSkuFor(customer, subscription.skuId);
    subscribed.prepaidUnits[from] = Math.max(0, subscribed.prepaidUnits[from] - subscription.quantity);
    subscribed.prepaidUnits[to] += subscription.quantity;
    subscribed.capabilityStatus = capabilityStatusOf(subscribed);
  }
  subscription.status = status;
  if (status === 'suspended') subscription.suspensionReasons = subscription.suspensionReasons ?? ['PartnerInitiated'];
  else delete subscription.suspensionReasons;
  touch(subscription);
}

export function changeAutoRenew(subscription: Subscription, autoRenewEnabled: boolean): void {
  subscription.autoRenewEnabled = autoRenewEnabled;
  touch(subscription);
}

// Every change gives the subscription a new etag, like Partner Center.
function touch(subscription: Subscription): void {
  subscription.etag = etagFor(`${subscription.id}:${subscription.etag}`);
}
