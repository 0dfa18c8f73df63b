import { capabilityStatusOf, etagFor, subscribedSkuFor, unitBucketOf } from '../scenario/customer-builder';
import { addMonths, DAY_MS, isoAt } from '../scenario/deterministic';
import type { Customer, ScheduledNextTermInstructions, SeatLot, Subscription, SubscriptionStatus } from '../scenario/scenario';

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

// ── New commerce seat rules (FACTS §7a.4, §7a.5) ──────────────────────────────────────────────────────────────
// Learn "new commerce license-based cancellation policy": licences "can be decreased only within the first seven
// days of when the licenses were added" — at purchase, at renewal, or when added mid-term — for every term,
// monthly included. Partner Center says how many seats can still be reduced as refundableQuantity
// {totalQuantity, details[{quantity, allowedUntilDateTime}]} (SDK RefundableQuantity / RefundableQuantityDetail).

export const REDUCTION_WINDOW_MS = 7 * DAY_MS;
// How long a change answered 202 Accepted stays pending in the emulator (on its clock; POST /__emulator/clock
// moves past it). Microsoft publishes no figure.
export const PENDING_CHANGE_MS = 60 * 1000;

export function seatLotsOf(subscription: Subscription): SeatLot[] {
  return subscription.seatLots ?? [{ quantity: subscription.quantity, addedAt: subscription.effectiveStartDate }];
}

export interface RefundableQuantity {
  totalQuantity: number;
  details: { quantity: number; allowedUntilDateTime: string }[];
}

export function refundableQuantityOf(subscription: Subscription, now: number): RefundableQuantity {
  if (subscription.status !== 'active') return { totalQuantity: 0, details: [] };
  const details = seatLotsOf(subscription)
    .map((lot) => ({ quantity: lot.quantity, until: Date.parse(lot.addedAt) + REDUCTION_WINDOW_MS }))
    .filter((lot) => lot.quantity > 0 && now <= lot.until)
    .sort((a, b) => a.until - b.until)
    .map((lot) => ({ quantity: lot.quantity, allowedUntilDateTime: isoAt(lot.until) }));
  const total = Math.min(
    subscription.quantity,
    details.reduce((sum, detail) => sum + detail.quantity, 0),
  );
  return { totalQuantity: total, details };
}

// An immediate (mid-term) change made in Partner Center: added seats become a lot of their own, removed seats
// come off the newest reducible lots, and every scheduled change is deleted (create-scheduled-changes.md: "If you
// make a mid-term (immediate) change before your renewal date, all scheduled changes … are deleted").
export function changeQuantityNow(customer: Customer, subscription: Subscription, quantity: number, now: number): void {
  const lots = seatLotsOf(subscription).map((lot) => ({ ...lot }));
  if (quantity > subscription.quantity) {
    lots.push({ quantity: quantity - subscription.quantity, addedAt: isoAt(now) });
  } else {
    let remove = subscription.quantity - quantity;
    for (const lot of [...lots].sort((a, b) => Date.parse(b.addedAt) - Date.parse(a.addedAt))) {
      if (remove <= 0) break;
      const take = Math.min(remove, lot.quantity);
      lot.quantity -= take;
      remove -= take;
    }
  }
  subscription.seatLots = lots.filter((lot) => lot.quantity > 0);
  subscription.scheduledNextTermInstructions = null;
  changeQuantity(customer, subscription, quantity);
}

export function scheduleNextTerm(subscription: Subscription, instructions: ScheduledNextTermInstructions | null): void {
  subscription.scheduledNextTermInstructions = instructions;
  touch(subscription);
}

const TERM_MONTHS: Record<string, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

// The first moment of the next term ("renewals begin at 12:00 AM UTC the day after the last day of the term",
// create-scheduled-changes.md; the emulator renews at once, Microsoft within 24 hours).
export function renewalDueAt(subscription: Subscription): number {
  const end = Date.parse(subscription.commitmentEndDate);
  return end - (end % DAY_MS) + DAY_MS;
}

// Brings every subscription up to the emulator clock: pending (202) changes whose time has come are made, and
// auto-renewing terms whose end has passed renew — with their scheduled change applied, new seat lots and a new
// 7-day window. A subscription that does not auto-renew is left as it is (its expiry is the control API's).
// Returns the next moment something is due (Infinity when nothing is).
export function advanceCommerce(customers: Customer[], now: number): { changed: boolean; nextDueAt: number } {
  let changed = false;
  let nextDueAt = Infinity;
  for (const customer of customers) {
    for (const subscription of customer.subscriptions) {
      if (subscription.pendingChange && Date.parse(subscription.pendingChange.completesAt) <= now) {
        const { quantity } = subscription.pendingChange;
        subscription.pendingChange = null;
        if (subscription.status === 'active') changeQuantityNow(customer, subscription, quantity, now);
        changed = true;
      }
      while (subscription.status === 'active' && subscription.autoRenewEnabled && renewalDueAt(subscription) <= now) {
        renew(customer, subscription);
        changed = true;
      }
      if (subscription.pendingChange) nextDueAt = Math.min(nextDueAt, Date.parse(subscription.pendingChange.completesAt));
      if (subscription.status === 'active' && subscription.autoRenewEnabled) nextDueAt = Math.min(nextDueAt, renewalDueAt(subscription));
    }
  }
  return { changed, nextDueAt };
}

function renew(customer: Customer, subscription: Subscription): void {
  const start = renewalDueAt(subscription);
  const instructions = subscription.scheduledNextTermInstructions ?? null;
  const term = (instructions?.product.termDuration.toUpperCase() ??
    subscription.renewalTermDuration ??
    subscription.termDuration) as Subscription['termDuration'];
  const quantity = instructions?.quantity ?? subscription.quantity;
  if (instructions) subscription.billingCycle = instructions.product.billingCycle.toLowerCase() as Subscription['billingCycle'];
  subscription.termDuration = TERM_MONTHS[term] ? term : subscription.termDuration;
  delete subscription.renewalTermDuration;
  subscription.effectiveStartDate = isoAt(start);
  subscription.commitmentEndDate = isoAt(addMonths(start, TERM_MONTHS[subscription.termDuration]) - DAY_MS);
  subscription.cancellationAllowedUntilDate = isoAt(start + REDUCTION_WINDOW_MS);
  subscription.scheduledNextTermInstructions = null;
  // The renewed seats are a new lot: reducible for 7 days, like a purchase.
  if (quantity !== subscription.quantity) changeQuantity(customer, subscription, quantity);
  subscription.seatLots = [{ quantity, addedAt: isoAt(start) }];
  touch(subscription);
}
