import { skuKey } from '../../../shared/domain/licence-terms';
import { ignoringExclusion, keepSpareExclusion, type Exclusion } from './exclusions';
import { assertTimeZone, formatDay } from './month-end';
import {
  compareTenants,
  compareText,
  offerLabel,
  sameSku,
  skuName,
  skusOf,
  subscriptionsOf,
  subscriptionState,
  type SkuPicture,
  type SubscriptionPicture,
  type TenantPicture,
} from './picture';
import { article, seats, users } from './wording';

// What is wrong with an organization's licences today, each with a plain explanation and the action to take.
export const DISCREPANCY_KINDS = [
  'over-assigned',
  'unassigned-seats',
  'quantity-mismatch',
  'not-sold-by-you',
  'subscription-suspended',
  'subscription-ending',
  'tenant-unreadable',
  'licences-unreadable',
] as const;

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
export type DiscrepancySeverity = 'high' | 'medium' | 'low';

export interface Discrepancy {
  // Stable across runs for the same problem (kind|tenant|sku|subscription), so a later step can tell opened from closed.
  key: string;
  kind: DiscrepancyKind;
  tenantId: string;
  skuId: string | null;
  subscriptionId: string | null;
  severity: DiscrepancySeverity;
  title: string;
  explanation: string;
  action: string;
  // The last moment the action helps (a cancellation window closing, a term ending), or null when there is none.
  actBy: Date | null;
  figures: Record<string, number>;
}

export interface SilencedDiscrepancy {
  discrepancy: Discrepancy;
  exclusionId: string;
}

export interface DiscrepancyFindings {
  open: Discrepancy[];
  silenced: SilencedDiscrepancy[];
}

export interface DiscrepancyOptions {
  // The organization's time zone, for dates in explanations and actions. Default UTC.
  timeZone?: string;
}

// A subscription that ends without auto-renew is flagged this long before; sooner than URGENT it is urgent.
export const ENDING_WITHIN_DAYS = 30;
export const URGENT_WITHIN_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export function discrepancyKey(kind: DiscrepancyKind, tenantId: string, skuId: string | null, subscriptionId: string | null): string {
  return [kind, tenantId, skuId === null ? '' : skuKey(skuId), subscriptionId ?? ''].join('|');
}

// A tenant this run could not read still has its last known figures, but they say nothing new: it reports only
// that it could not be read (never skipped, never stale discrepancies), and no exclusion silences that.
export function findDiscrepancies(
  current: TenantPicture[],
  now: Date,
  exclusions: Exclusion[],
  options: DiscrepancyOptions = {},
): DiscrepancyFindings {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const tenants = [...new Map(current.map((t) => [t.tenantId, t])).values()].sort(compareTenants);
  const open: Discrepancy[] = [];
  const silenced: SilencedDiscrepancy[] = [];
  for (const tenant of tenants) {
    if (!tenant.read) {
      open.push(tenantUnreadable(tenant));
      continue;
    }
    const context: Context = { tenant, now, exclusions, timeZone };
    const subscriptions = subscriptionsOf(tenant);
    // Licences Partner Center would not list are unknown: no SKU finding from figures that are not current, only
    // the notice that they cannot be read (which no exclusion silences). Its subscriptions were read as usual.
    if (tenant.licencesUnreadable) open.push(licencesUnreadable(tenant, tenant.licencesUnreadable));
    const findings = [
      ...(tenant.licencesUnreadable ? [] : skusOf(tenant).flatMap((sku) => skuFindings(context, sku, subscriptions))),
      ...subscriptions.flatMap((subscription) => subscriptionFindings(context, subscription)),
    ].sort((a, b) => compareDiscrepancies(a.discrepancy, b.discrepancy));
    for (const { discrepancy, silencedBy } of findings) {
      const exclusionId = silencedBy ?? ignoringExclusion(exclusions, tenant.tenantId, discrepancy.skuId)?.id ?? null;
      if (exclusionId === null) open.push(discrepancy);
      else silenced.push({ discrepancy, exclusionId });
    }
  }
  return { open, silenced };
}

interface Context {
  tenant: TenantPicture;
  now: Date;
  exclusions: readonly Exclusion[];
  timeZone: string;
}

// silencedBy: an exclusion that already decided (keep-spare); otherwise an 'ignore' exclusion may still apply.
interface Finding {
  discrepancy: Discrepancy;
  silencedBy: string | null;
}

function compareDiscrepancies(a: Discrepancy, b: Discrepancy): number {
  return (
    DISCREPANCY_KINDS.indexOf(a.kind) - DISCREPANCY_KINDS.indexOf(b.kind) ||
    compareText(a.skuId ?? '', b.skuId ?? '') ||
    compareText(a.subscriptionId ?? '', b.subscriptionId ?? '')
  );
}

function skuFindings(context: Context, sku: SkuPicture, subscriptions: SubscriptionPicture[]): Finding[] {
  // Free SKUs (Teams Exploratory, Fabric free, …) are not billed: nothing to buy, reduce or sell.
  if (sku.free) return [];
  const findings: Finding[] = [];
  if (sku.assigned > sku.purchased) findings.push({ discrepancy: overAssigned(context.tenant, sku), silencedBy: null });
  if (sku.soldByYou === false) {
    if (sku.purchased > 0) findings.push({ discrepancy: notSoldByYou(context.tenant, sku), silencedBy: null });
  } else {
    const unused = unassignedSeats(context, sku, subscriptions);
    if (unused) findings.push(unused);
  }
  return findings;
}

function subscriptionFindings(context: Context, subscription: SubscriptionPicture): Finding[] {
  const state = subscriptionState(subscription.status);
  const found: Discrepancy[] = [];
  if (state === 'active' && subscription.tenantUnits !== null && subscription.quantity !== subscription.tenantUnits)
    found.push(quantityMismatch(context.tenant, subscription));
  if (state === 'suspended') found.push(subscriptionSuspended(context.tenant, subscription));
  const end = subscription.commitmentEndDate;
  if (state === 'active' && !subscription.autoRenewEnabled && end && end.getTime() - context.now.getTime() <= ENDING_WITHIN_DAYS * DAY_MS) {
    found.push(subscriptionEnding(context, subscription, end));
  }
  return found.map((discrepancy) => ({ discrepancy, silencedBy: null }));
}

function base(kind: DiscrepancyKind, tenant: TenantPicture, skuId: string | null, subscriptionId: string | null) {
  const sku = skuId === null ? null : skuKey(skuId);
  return { key: discrepancyKey(kind, tenant.tenantId, sku, subscriptionId), kind, tenantId: tenant.tenantId, skuId: sku, subscriptionId };
}

function overAssigned(tenant: TenantPicture, sku: SkuPicture): Discrepancy {
  const name = skuName(sku);
  const over = sku.assigned - sku.purchased;
  const paid = sku.purchased === 0 ? 'none are' : `only ${sku.purchased} ${sku.purchased === 1 ? 'is' : 'are'}`;
  return {
    ...base('over-assigned', tenant, sku.skuId, null),
    severity: 'high',
    title: `${name}: ${users(over)} without a paid seat`,
    explanation: `${users(sku.assigned)} ${sku.assigned === 1 ? 'holds' : 'hold'} ${article(name)} ${name} licence but ${paid} paid for.`,
    action: `Buy ${over} more ${over === 1 ? 'seat' : 'seats'} or remove the licence from ${users(over)}.`,
    actBy: null,
    figures: { purchased: sku.purchased, assigned: sku.assigned, overAssigned: over },
  };
}

function notSoldByYou(tenant: TenantPicture, sku: SkuPicture): Discrepancy {
  const name = skuName(sku);
  return {
    ...base('not-sold-by-you', tenant, sku.skuId, null),
    severity: 'low',
    title: `${name} is not bought through you`,
    explanation: `${tenant.companyName} has ${seats(sku.purchased)} of ${name} that ${sku.purchased === 1 ? 'was' : 'were'} not bought through your Partner Center account (but directly from Microsoft or through another partner).`,
    action: `There is nothing to bill for ${sku.purchased === 1 ? 'it' : 'them'}. Offer the customer to move ${sku.purchased === 1 ? 'it' : 'them'} to your Partner Center account, or add an exclusion if this is expected.`,
    actBy: null,
    figures: { purchased: sku.purchased, assigned: sku.assigned },
  };
}

// A seat to give back on one subscription: now, while a 7-day window is open (deadline: when it closes), or at
// renewal through a change scheduled in Partner Center (renewsOn: the first day of the next term).
interface Reduction {
  subscription: SubscriptionPicture;
  deadline: Date | null;
  renewsOn: Date | null;
  // The most seats this way can give back.
  limit: number;
  seats: number;
}

// New commerce (FACTS §7a.4; Learn "new commerce license-based cancellation policy"): seats can be reduced only
// within 7 days of being added — purchase, renewal or mid-term addition — for every term, monthly included; how
// many is Partner Center's refundableQuantity when known, else the term's window (cancellationAllowedUntilDate).
// Outside the window the only way is a change scheduled for renewal, so an auto-renewing subscription is advised
// to renew with fewer seats; one that does not renew ends anyway (subscription-ending says so).
function reductionOptions(subscriptions: SubscriptionPicture[], now: Date): Array<Omit<Reduction, 'seats'>> {
  const options: Array<Omit<Reduction, 'seats'>> = [];
  for (const subscription of subscriptions) {
    if (subscriptionState(subscription.status) !== 'active' || subscription.isTrial || subscription.quantity <= 0) continue;
    const refundable = subscription.refundableQuantity;
    const windowEnd = subscription.refundableUntil ?? subscription.cancellationAllowedUntilDate;
    // An immediate change deletes a change scheduled for renewal (FACTS §7a.4): with one scheduled, nothing is advised
    // for now, only at renewal.
    const scheduled = typeof subscription.scheduledQuantity === 'number';
    const reducibleNow = scheduled
      ? 0
      : typeof refundable === 'number'
        ? Math.min(refundable, subscription.quantity)
        : windowEnd && now.getTime() <= windowEnd.getTime()
          ? subscription.quantity
          : 0;
    if (reducibleNow > 0)
      options.push({
        subscription,
        deadline: windowEnd && now.getTime() <= windowEnd.getTime() ? windowEnd : null,
        renewsOn: null,
        limit: reducibleNow,
      });
    const renewsOn = renewalDayOf(subscription);
    // Seats a change already scheduled for renewal gives back are not offered again.
    const renewingWith = Math.min(subscription.quantity, subscription.scheduledQuantity ?? subscription.quantity);
    if (reducibleNow < renewingWith && subscription.autoRenewEnabled && renewsOn && renewsOn.getTime() > now.getTime()) {
      options.push({ subscription, deadline: null, renewsOn, limit: renewingWith - reducibleNow });
    }
  }
  // A closing window first (it saves a whole term and will not come back), then changes at the nearest renewal.
  const rank = (o: Omit<Reduction, 'seats'>) => (o.renewsOn === null ? 0 : 1);
  return options.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.deadline?.getTime() ?? a.renewsOn?.getTime() ?? Infinity) - (b.deadline?.getTime() ?? b.renewsOn?.getTime() ?? Infinity) ||
      compareText(a.subscription.subscriptionId, b.subscription.subscriptionId),
  );
}

// The first day of the next term: renewals begin at 00:00 UTC the day after the term's last day
// (create-scheduled-changes.md).
function renewalDayOf(subscription: SubscriptionPicture): Date | null {
  const end = subscription.commitmentEndDate;
  if (!end) return null;
  return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()) + DAY_MS);
}

function unassignedSeats(context: Context, sku: SkuPicture, subscriptions: SubscriptionPicture[]): Finding | null {
  const { tenant, exclusions } = context;
  if (sku.available <= 0) return null;
  // Unused seats that a change already scheduled in Partner Center gives back at renewal are taken care of.
  const scheduled = subscriptions
    .filter((s) => sameSku(s.skuId, sku.skuId) && subscriptionState(s.status) === 'active' && typeof s.scheduledQuantity === 'number')
    .reduce((sum, s) => sum + Math.max(0, s.quantity - (s.scheduledQuantity as number)), 0);
  if (sku.available <= scheduled) return null;
  const options = reductionOptions(
    subscriptions.filter((s) => sameSku(s.skuId, sku.skuId)),
    context.now,
  );
  if (options.length === 0) return null;
  // An 'ignore' exclusion silences the whole problem, so it is shown without any spare seats taken off.
  const keep = ignoringExclusion(exclusions, tenant.tenantId, sku.skuId)
    ? null
    : keepSpareExclusion(exclusions, tenant.tenantId, sku.skuId);
  const spare = keep?.spare ?? 0;
  if (keep && sku.available - scheduled <= spare)
    return { discrepancy: unassignedDiscrepancy(context, sku, options, null, scheduled), silencedBy: keep.id };
  return { discrepancy: unassignedDiscrepancy(context, sku, options, keep, scheduled), silencedBy: null };
}

function unassignedDiscrepancy(
  context: Context,
  sku: SkuPicture,
  options: Array<Omit<Reduction, 'seats'>>,
  keep: Exclusion | null,
  scheduled = 0,
): Discrepancy {
  const name = skuName(sku);
  const unused = sku.available;
  const spare = keep?.spare ?? 0;
  const counted = unused - spare - scheduled;
  const plan: Reduction[] = [];
  let left = counted;
  for (const option of options) {
    if (left <= 0) break;
    const take = Math.min(left, option.limit);
    plan.push({ ...option, seats: take });
    left -= take;
  }
  const planned = counted - left;
  const reducible = plan.filter((p) => p.renewsOn === null).reduce((sum, p) => sum + p.seats, 0);
  const atRenewal = planned - reducible;
  const deadlines = plan.flatMap((p) => (p.deadline ? [p.deadline.getTime()] : []));
  // Now-options act by their window; a renewal change must be scheduled before the term ends.
  const renewalEnds = plan.flatMap((p) => (p.renewsOn ? [p.renewsOn.getTime() - DAY_MS] : []));
  const actBy = deadlines.length ? new Date(Math.min(...deadlines)) : renewalEnds.length ? new Date(Math.min(...renewalEnds)) : null;
  const assigned = sku.assigned === 0 ? 'none are' : `only ${sku.assigned} ${sku.assigned === 1 ? 'is' : 'are'}`;
  let explanation = `${seats(sku.purchased)} of ${name} ${sku.purchased === 1 ? 'is' : 'are'} paid for but ${assigned} assigned, so ${unused} ${unused === 1 ? 'is' : 'are'} unused.`;
  if (scheduled > 0) explanation += ` A change scheduled in Partner Center already gives back ${seats(scheduled)} at renewal.`;
  if (keep) explanation += ` You keep ${seats(spare)} spare (${keep.reason.trim()}), so ${counted} ${counted === 1 ? 'counts' : 'count'}.`;
  if (atRenewal > 0) {
    explanation +=
      reducible > 0
        ? ` ${reducible} can be given back now; ${atRenewal} only at renewal: seats can be reduced only within 7 days of being bought, renewed or added.`
        : ` They can be given back only at renewal: seats can be reduced only within 7 days of being bought, renewed or added, and that window has closed.`;
  }
  if (planned < counted) {
    const rest = counted - planned;
    explanation += ` ${rest} ${rest === 1 ? 'is' : 'are'} on subscriptions that cannot be reduced before their term ends.`;
  }
  const steps = plan.map((p) => {
    const label = offerLabel(p.subscription, true);
    if (p.renewsOn)
      return `schedule ${label} to renew with ${seats(p.seats)} fewer on ${formatDay(p.renewsOn, 'UTC')} (a scheduled change at renewal)`;
    return p.deadline
      ? `reduce ${label} by ${seats(p.seats)} by ${formatDay(p.deadline, context.timeZone)}, while its 7-day window is open`
      : `reduce ${label} by ${seats(p.seats)} now`;
  });
  return {
    ...base('unassigned-seats', context.tenant, sku.skuId, null),
    severity: deadlines.length ? 'medium' : 'low',
    title: `${name}: ${unused} unused ${unused === 1 ? 'seat' : 'seats'}`,
    explanation,
    action: `In Partner Center, ${steps.join(', and ')}; or assign ${planned === 1 ? 'the seat' : 'the seats'} to users who need ${planned === 1 ? 'it' : 'them'}.`,
    actBy,
    figures: { purchased: sku.purchased, assigned: sku.assigned, unassigned: unused, spare, counted, reducible, atRenewal },
  };
}

function quantityMismatch(tenant: TenantPicture, subscription: SubscriptionPicture): Discrepancy {
  const label = offerLabel(subscription, true);
  const tenantUnits = subscription.tenantUnits ?? 0;
  return {
    ...base('quantity-mismatch', tenant, subscription.skuId, subscription.subscriptionId),
    severity: 'medium',
    title: `${label}: Partner Center says ${subscription.quantity}, the tenant ${tenantUnits}`,
    explanation: `Partner Center bills ${seats(subscription.quantity)} of ${label}, but the customer's tenant shows ${tenantUnits} prepaid.`,
    action: `If the quantity was changed today, wait for the next run. If it stays different, compare the subscription in Partner Center with the customer's Microsoft 365 admin center and open a Partner Center support request.`,
    actBy: null,
    figures: { quantity: subscription.quantity, tenantUnits, difference: subscription.quantity - tenantUnits },
  };
}

function subscriptionSuspended(tenant: TenantPicture, subscription: SubscriptionPicture): Discrepancy {
  const label = offerLabel(subscription, true);
  return {
    ...base('subscription-suspended', tenant, subscription.skuId, subscription.subscriptionId),
    severity: 'high',
    title: `${label} is suspended`,
    explanation: `Partner Center has suspended ${label} (${seats(subscription.quantity)}): users who hold this licence can lose access to its services.`,
    action: `Find out in Partner Center why it was suspended (for example an unpaid invoice) and reactivate it, or cancel it if the customer no longer needs it.`,
    actBy: null,
    figures: { quantity: subscription.quantity },
  };
}

function subscriptionEnding(context: Context, subscription: SubscriptionPicture, end: Date): Discrepancy {
  const label = offerLabel(subscription, true);
  const left = end.getTime() - context.now.getTime();
  const daysLeft = Math.max(0, Math.ceil(left / DAY_MS));
  const day = formatDay(end, context.timeZone);
  const ends = left >= 0 ? 'ends' : 'was due to end';
  const them = subscription.quantity === 1 ? 'it' : 'them';
  return {
    ...base('subscription-ending', context.tenant, subscription.skuId, subscription.subscriptionId),
    severity: daysLeft <= URGENT_WITHIN_DAYS ? 'high' : 'medium',
    title: `${label} ${ends} on ${day}`,
    explanation: subscription.isTrial
      ? `${label} is a trial with ${seats(subscription.quantity)}; it ${ends} on ${day} and will not turn into a paid subscription: auto-renew is off.`
      : `${label} with ${seats(subscription.quantity)} ${ends} on ${day} and will not renew: auto-renew is off.`,
    action: `If the customer still needs ${them}, turn on auto-renew in Partner Center before ${day}; otherwise move the users to another licence before then.`,
    actBy: end,
    figures: { quantity: subscription.quantity, daysLeft },
  };
}

function tenantUnreadable(tenant: TenantPicture): Discrepancy {
  const reason = tenant.failureReason?.trim().replace(/\.+$/, '');
  return {
    ...base('tenant-unreadable', tenant, null, null),
    severity: 'high',
    title: `Could not read ${tenant.companyName}`,
    explanation: `Sync 365 could not read the licences of ${tenant.companyName} in this run${reason ? `: ${reason}` : ''}. The figures shown are from the last successful read.`,
    action: `Fix the cause (often a GDAP relationship that expired or lacks a role) and run the reconciliation again; until then, check this tenant's figures before billing from them.`,
    actBy: null,
    figures: {},
  };
}

function licencesUnreadable(tenant: TenantPicture, reason: string): Discrepancy {
  return {
    ...base('licences-unreadable', tenant, null, null),
    severity: 'medium',
    title: `${tenant.companyName}: licences not readable (GDAP role missing)`,
    explanation: `Partner Center would not list the licences of ${tenant.companyName}: ${reason.trim().replace(/\.+$/, '')}. Its subscriptions were read; its seat counts are unknown (not zero), so no seat discrepancy can be checked.`,
    action: `Grant the Partner Center account's security group Directory Readers, Global Reader, User Administrator or License Administrator in an active GDAP relationship with ${tenant.companyName}, then run the reconciliation again.`,
    actBy: null,
    figures: {},
  };
}
