import { ChangeNotAllowedError } from './portal.errors';

// What a customer may ask to change on a subscription, decided the same way for the request form (shown before
// submitting), when the request is made, and again when the partner approves it (the window may have closed).
// Partner Center enforces its own rules on top; these are the ones a customer can act on.

export type ChangeKind = 'increase' | 'decrease' | 'decrease_at_renewal';

export const CHANGE_KINDS: readonly ChangeKind[] = ['increase', 'decrease', 'decrease_at_renewal'];

export interface SubscriptionFacts {
  id: string;
  name: string;
  quantity: number;
  // Partner Center's status, grouped (licensing's subscriptionState).
  state: 'active' | 'suspended' | 'ended' | 'other';
  // For display; seat decreases follow the same 7-day windows for every term (FACTS §7a.4).
  monthlyTerm: boolean;
  autoRenew: boolean;
  cancellationAllowedUntil: Date | null;
  commitmentEnd: Date | null;
  // Partner Center's word at the last read (FACTS §7a.4), when it said it: seats reducible now (refundableQuantity,
  // covers seats added mid-term too) and the quantity scheduled for renewal. Absent or null: not known.
  refundableQuantity?: number | null;
  scheduledQuantity?: number | null;
}

// The subscription's product in the tenant, over all its subscriptions: seats bought and seats assigned to people.
// Null when Sync 365 cannot tell which product the subscription is yet (the tenant's directory was not read).
export interface ProductSeats {
  productName: string;
  purchased: number;
  assigned: number;
}

export interface RuleAnswer {
  allowed: boolean;
  reason: string;
}

export interface ChangeRules {
  // Why the subscription's seats cannot change at all, else null.
  blocked: string | null;
  increase: RuleAnswer;
  decreaseNow: RuleAnswer;
  decreaseAtRenewal: RuleAnswer & { effectiveDate: Date | null };
  // The fewest seats the subscription may keep so every assigned licence stays covered; null when unknown.
  minimumQuantity: number | null;
  // Why no seat may be removed (unknown or all assigned), else null.
  seatLimit: string | null;
  // Everything above as sentences, for the request form.
  sentences: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function changeRules(subscription: SubscriptionFacts, seats: ProductSeats | null, now: Date): ChangeRules {
  const blocked = blockedReason(subscription);
  // Removing seats from this subscription removes them from the product: what stays must cover the assigned ones.
  const minimumQuantity = seats ? Math.max(1, subscription.quantity - (seats.purchased - seats.assigned)) : null;
  const seatLimit = seatLimitReason(subscription, seats, minimumQuantity);
  // An immediate change deletes a change scheduled for renewal in Partner Center (create-scheduled-changes.md):
  // Sync 365 never does that behind anyone's back, so nothing else is offered while one is scheduled.
  const scheduled =
    typeof subscription.scheduledQuantity === 'number' ? scheduledReason(subscription.scheduledQuantity, subscription) : null;
  const increase = blocked ? no(blocked) : scheduled ? no(scheduled) : yes('Seats can be added at any time.');
  const decreaseNow = blocked
    ? no(blocked)
    : scheduled
      ? no(scheduled)
      : seatLimit
        ? no(seatLimit)
        : decreaseNowAnswer(subscription, minimumQuantity!, now);
  const atRenewal =
    blocked || scheduled
      ? { ...no((blocked ?? scheduled)!), effectiveDate: null }
      : seatLimit
        ? { ...no(seatLimit), effectiveDate: null }
        : decreaseAtRenewalAnswer(subscription, minimumQuantity!, now);
  const sentences = blocked
    ? [blocked]
    : scheduled
      ? [scheduled]
      : [
          increase.reason,
          ...(seats && !seatLimit
            ? [
                `${seats.assigned} of ${seats.purchased} ${seats.productName} licences are assigned to people, so this subscription keeps at least ${plural(minimumQuantity!, 'seat')}.`,
              ]
            : []),
          decreaseNow.reason,
          ...(atRenewal.reason !== decreaseNow.reason ? [atRenewal.reason] : []),
        ];
  return { blocked, increase, decreaseNow, decreaseAtRenewal: atRenewal, minimumQuantity, seatLimit, sentences };
}

export interface CheckedChange {
  kind: ChangeKind;
  toQuantity: number;
  // When a decrease at renewal is applied; null for changes applied on approval.
  effectiveDate: Date | null;
}

// Enforces the rules on what was submitted; throws ChangeNotAllowedError naming the rule.
export function checkChange(subscription: SubscriptionFacts, rules: ChangeRules, kind: ChangeKind, requested: unknown): CheckedChange {
  const toQuantity = wholeNumber(requested);
  if (toQuantity === null || toQuantity < 1)
    throw new ChangeNotAllowedError(
      'The number of seats must be a whole number of at least 1.',
      'Enter the total number of seats the subscription should have.',
    );
  if (rules.blocked) throw new ChangeNotAllowedError(rules.blocked);
  const from = subscription.quantity;
  if (toQuantity === from)
    throw new ChangeNotAllowedError(`${subscription.name} already has ${plural(from, 'seat')}.`, 'Enter a different number of seats.');
  if (kind === 'increase') {
    if (!rules.increase.allowed) throw new ChangeNotAllowedError(rules.increase.reason);
    if (toQuantity < from)
      throw new ChangeNotAllowedError(
        `Adding seats means more than the ${plural(from, 'seat')} the subscription has now.`,
        'To remove seats, choose a reduction.',
      );
    return { kind, toQuantity, effectiveDate: null };
  }
  if (toQuantity > from)
    throw new ChangeNotAllowedError(
      `Removing seats means fewer than the ${plural(from, 'seat')} the subscription has now.`,
      'To add seats, choose an increase.',
    );
  const answer = kind === 'decrease' ? rules.decreaseNow : rules.decreaseAtRenewal;
  if (!answer.allowed) {
    const fix =
      kind === 'decrease' && rules.decreaseAtRenewal.allowed && rules.decreaseAtRenewal.effectiveDate
        ? `Choose to remove the seats at renewal instead: they are removed on ${dayLabel(rules.decreaseAtRenewal.effectiveDate)}, when the subscription renews.`
        : undefined;
    throw new ChangeNotAllowedError(answer.reason, fix);
  }
  checkAssignedSeats(subscription, rules, toQuantity);
  // Seats reducible now, as Partner Center counts them (a mid-term addition has its own window).
  const refundable = subscription.refundableQuantity;
  if (kind === 'decrease' && typeof refundable === 'number' && from - toQuantity > refundable) {
    throw new ChangeNotAllowedError(
      `Only ${plural(refundable, 'seat')} of ${subscription.name} can be removed now: seats can be removed only within 7 days of being bought, renewed or added.`,
      rules.decreaseAtRenewal.allowed && rules.decreaseAtRenewal.effectiveDate
        ? `Ask for at most ${refundable} fewer now, or remove the seats at renewal on ${dayLabel(rules.decreaseAtRenewal.effectiveDate)}.`
        : `Ask for at most ${refundable} fewer.`,
    );
  }
  return { kind, toQuantity, effectiveDate: kind === 'decrease_at_renewal' ? rules.decreaseAtRenewal.effectiveDate : null };
}

// Before an approved change goes to Partner Center: is it still allowed (seats assigned since, a window closed)?
// A decrease at renewal is applied on its renewal day, when the new term's cancellation window is Partner
// Center's to judge: only the subscription's state and the assigned seats are checked again.
export function checkApproved(
  subscription: SubscriptionFacts,
  seats: ProductSeats | null,
  kind: ChangeKind,
  toQuantity: number,
  now: Date,
): void {
  const rules = changeRules(subscription, seats, now);
  if (kind !== 'decrease_at_renewal') {
    checkChange(subscription, rules, kind, toQuantity);
    return;
  }
  if (rules.blocked) throw new ChangeNotAllowedError(rules.blocked);
  if (rules.seatLimit) throw new ChangeNotAllowedError(rules.seatLimit);
  checkAssignedSeats(subscription, rules, toQuantity);
}

function checkAssignedSeats(subscription: SubscriptionFacts, rules: ChangeRules, toQuantity: number): void {
  if (rules.minimumQuantity !== null && toQuantity < rules.minimumQuantity) {
    throw new ChangeNotAllowedError(
      `${subscription.name} cannot go below ${plural(rules.minimumQuantity, 'seat')}: fewer would leave licences assigned to people without a seat.`,
      'Remove licences from people in the Microsoft 365 admin center first, or ask for fewer seats to be removed.',
    );
  }
}

// The first day of the term after the commitment ends: when a decrease "at renewal" can be made (the new term's
// cancellation window is open then).
export function renewalDay(commitmentEnd: Date): Date {
  const startOfDay = Date.UTC(commitmentEnd.getUTCFullYear(), commitmentEnd.getUTCMonth(), commitmentEnd.getUTCDate());
  return new Date(startOfDay + DAY_MS);
}

// "3 Dec 2026 UTC": dates on the portal's pages, in rule sentences and in the summary. Sync 365 keeps no time zone
// for an organization or its customers, so the days are UTC days (as Partner Center's term dates are), and say so.
export function dayLabel(date: Date): string {
  return `${utcDay(date)} UTC`;
}

// "20 Nov 2026 – 27 Nov 2026 UTC"
export function dayRangeLabel(since: Date, until: Date): string {
  return `${utcDay(since)} – ${dayLabel(until)}`;
}

// "3 Dec 2026", for the start of a range whose end says UTC.
export function utcDay(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function scheduledReason(scheduledQuantity: number, subscription: SubscriptionFacts): string {
  const on = subscription.commitmentEnd ? ` on ${dayLabel(renewalDay(subscription.commitmentEnd))}` : '';
  return `A change is scheduled in Partner Center for this subscription's renewal${on} (${plural(scheduledQuantity, 'seat')}). Any change now would delete it, so the seats cannot be changed until then; ask your IT partner if the scheduled change should go.`;
}

function blockedReason(subscription: SubscriptionFacts): string | null {
  switch (subscription.state) {
    case 'active':
      return null;
    case 'suspended':
      return 'This subscription is suspended: its seats cannot change until it is active again.';
    case 'ended':
      return 'This subscription has ended, so its seats cannot change.';
    default:
      return 'This subscription is not active, so its seats cannot change.';
  }
}

function seatLimitReason(subscription: SubscriptionFacts, seats: ProductSeats | null, minimum: number | null): string | null {
  if (!seats || minimum === null)
    return 'Sync 365 cannot tell yet how many of these seats are assigned to people, so seats can only be added for now.';
  if (minimum >= subscription.quantity) {
    return `All ${seats.productName} seats are in use (${seats.assigned} licences assigned, ${seats.purchased} bought), so none can be removed.`;
  }
  return null;
}

// New commerce (FACTS §7a.4; Learn "new commerce license-based cancellation policy"): seats can be reduced only
// within 7 days of being added — purchase, renewal or mid-term addition — for every term, monthly included.
// cancellationAllowedUntil is the window of the term's start; Partner Center checks the seats added mid-term
// (refundableQuantity) again when the change is sent.
function decreaseNowAnswer(subscription: SubscriptionFacts, minimum: number, now: Date): RuleAnswer {
  const until = subscription.cancellationAllowedUntil;
  const refundable = subscription.refundableQuantity;
  // Partner Center counted the seats reducible now at the last read: seats added mid-term count too.
  if (typeof refundable === 'number' && refundable > 0 && !(until && now.getTime() <= until.getTime())) {
    return yes(
      `${plural(refundable, 'seat')} added in the last 7 days can be removed now, down to ${Math.max(minimum, subscription.quantity - refundable)}.`,
    );
  }
  if (until && now.getTime() <= until.getTime())
    return yes(`Seats can be removed until ${dayLabel(until)} (within 7 days of the start of the term), down to ${minimum}.`);
  const renewal = subscription.autoRenew && subscription.commitmentEnd ? ` on ${dayLabel(renewalDay(subscription.commitmentEnd))}` : '';
  return no(
    until
      ? `Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on ${dayLabel(until)}, so seats can now be removed only at renewal${renewal}.`
      : `Partner Center gives no cancellation window for this term: seats can be removed only at renewal${renewal}.`,
  );
}

function decreaseAtRenewalAnswer(subscription: SubscriptionFacts, minimum: number, now: Date): RuleAnswer & { effectiveDate: Date | null } {
  if (!subscription.autoRenew)
    return { ...no('This subscription does not renew, so seats cannot be removed at renewal.'), effectiveDate: null };
  if (!subscription.commitmentEnd)
    return {
      ...no('Partner Center gives no renewal date for this subscription, so seats cannot be removed at renewal.'),
      effectiveDate: null,
    };
  const effectiveDate = renewalDay(subscription.commitmentEnd);
  if (effectiveDate.getTime() <= now.getTime())
    return { ...no('The renewal date Sync 365 knows has passed; it is read again with the next update.'), effectiveDate: null };
  return {
    ...yes(
      `Seats can be removed at renewal, down to ${minimum}: the change is made on ${dayLabel(effectiveDate)}, the first day of the new term.`,
    ),
    effectiveDate,
  };
}

function wholeNumber(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

function yes(reason: string): RuleAnswer {
  return { allowed: true, reason };
}

function no(reason: string): RuleAnswer {
  return { allowed: false, reason };
}
