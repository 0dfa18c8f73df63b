import { skuKey } from '../../../shared/domain/licence-terms';
import { assertTimeZone, formatDay } from './month-end';
import {
  compareTenants,
  compareText,
  offerLabel,
  skuName,
  skusOf,
  subscriptionsOf,
  subscriptionState,
  type SkuPicture,
  type SubscriptionPicture,
  type TenantPicture,
} from './picture';
import { plural, seats, signed } from './wording';

// What changed between two reconciliation runs, in the order people read it.
export const CHANGE_KINDS = [
  'tenant.added',
  'tenant.removed',
  'sku.added',
  'sku.removed',
  'sku.purchased-changed',
  'sku.assigned-changed',
  'subscription.added',
  'subscription.quantity-changed',
  'subscription.renewed',
  'subscription.suspended',
  'subscription.reactivated',
  'subscription.cancelled',
] as const;

export type LicensingChangeKind = (typeof CHANGE_KINDS)[number];

export interface LicensingChange {
  kind: LicensingChangeKind;
  tenantId: string;
  skuId: string | null;
  subscriptionId: string | null;
  // Seat counts for quantities, ISO instants for commitment end dates, statuses or company names otherwise.
  before: number | string | null;
  after: number | string | null;
  // after − before for seat counts (an added SKU or subscription counts from 0, a removed SKU down to 0).
  delta: number | null;
  summary: string;
}

export interface ChangeOptions {
  // The organization's time zone, for dates in summaries. Default UTC.
  timeZone?: string;
}

// The first run is the baseline (no previous run: no changes). A tenant this run could not read says nothing
// new, so it yields no changes and is not "removed"; a tenant missing from this run's customer list is removed.
export function changesBetween(previous: TenantPicture[] | null, current: TenantPicture[], options: ChangeOptions = {}): LicensingChange[] {
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  if (!previous) return [];
  const before = new Map(previous.map((t) => [t.tenantId, t]));
  const after = new Map(current.map((t) => [t.tenantId, t]));
  const found: Array<{ tenant: TenantPicture; change: LicensingChange }> = [];
  for (const tenant of after.values()) {
    if (!tenant.read) continue;
    const was = before.get(tenant.tenantId);
    // Unreadable licences are unknown, not gone: no SKU is "removed" and no seat count "changes" (FACTS.md §7a.3).
    // A run that could not read them either holds none, so "unknown → known" is no change either.
    const subscriptions = was ? subscriptionChanges(was, tenant, timeZone) : [];
    const skus =
      tenant.licencesUnreadable || was?.licencesUnreadable ? [] : was ? skuChanges(was, tenant, explainedPurchases(was, tenant)) : [];
    const changes = was ? [...skus, ...subscriptions] : [tenantAdded(tenant)];
    found.push(...changes.map((change) => ({ tenant, change })));
  }
  for (const was of before.values()) {
    if (!after.has(was.tenantId)) found.push({ tenant: was, change: tenantRemoved(was) });
  }
  return found.sort((a, b) => compareTenants(a.tenant, b.tenant) || compareChanges(a.change, b.change)).map((f) => f.change);
}

function compareChanges(a: LicensingChange, b: LicensingChange): number {
  return (
    CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) ||
    compareText(a.skuId ?? '', b.skuId ?? '') ||
    compareText(a.subscriptionId ?? '', b.subscriptionId ?? '')
  );
}

function tenantAdded(tenant: TenantPicture): LicensingChange {
  if (tenant.licencesUnreadable) {
    return {
      ...change('tenant.added', tenant, null, null),
      after: tenant.companyName,
      summary: `${tenant.companyName}: new customer tenant (licences not readable: GDAP role missing)`,
    };
  }
  const skus = skusOf(tenant);
  const purchased = skus.reduce((sum, s) => sum + s.purchased, 0);
  return {
    ...change('tenant.added', tenant, null, null),
    after: tenant.companyName,
    summary: `${tenant.companyName}: new customer tenant with ${plural(skus.length, 'product', 'products')} and ${seats(purchased)} purchased`,
  };
}

function tenantRemoved(tenant: TenantPicture): LicensingChange {
  return {
    ...change('tenant.removed', tenant, null, null),
    before: tenant.companyName,
    summary: `${tenant.companyName}: no longer among your customers`,
  };
}

// One seat change in Microsoft is one change here. A partner changing a subscription's quantity moves two figures:
// Partner Center's quantity and the SKU's purchased seats in the customer's directory. Reported as both, one change
// went out as two licensing.quantity-changed events whose order of arrival was luck (webhooks are delivered side
// by side), and a consumer adding up deltas counted it twice. The rule: a SKU whose purchased seats moved by exactly
// what its subscriptions' quantities moved (subscriptions active in both runs, whose seats are the SKU's purchased
// seats) is reported once, as those subscription.quantity-changed; sku.purchased-changed is kept for what the
// subscriptions do not explain (seats bought elsewhere, a suspension, a directory that has not caught up yet).
// Returns the explained purchased-seat delta per SKU key.
function explainedPurchases(was: TenantPicture, tenant: TenantPicture): Map<string, number> {
  const previous = new Map(subscriptionsOf(was).map((s) => [s.subscriptionId, s]));
  const explained = new Map<string, number>();
  for (const subscription of subscriptionsOf(tenant)) {
    const old = previous.get(subscription.subscriptionId);
    if (!old || subscription.skuId === null || old.quantity === subscription.quantity) continue;
    if (subscriptionState(subscription.status) !== 'active' || subscriptionState(old.status) !== 'active') continue;
    // A subscription the directory now names with another SKU explains neither.
    if (old.skuId !== null && skuKey(old.skuId) !== skuKey(subscription.skuId)) continue;
    const key = skuKey(subscription.skuId);
    explained.set(key, (explained.get(key) ?? 0) + subscription.quantity - old.quantity);
  }
  return explained;
}

function skuChanges(was: TenantPicture, tenant: TenantPicture, explained: Map<string, number>): LicensingChange[] {
  const previous = new Map(skusOf(was).map((s) => [skuKey(s.skuId), s]));
  const current = new Map(skusOf(tenant).map((s) => [skuKey(s.skuId), s]));
  const changes: LicensingChange[] = [];
  for (const [key, sku] of current) {
    const old = previous.get(key);
    if (!old) {
      changes.push({
        ...change('sku.added', tenant, key, null),
        after: sku.purchased,
        delta: sku.purchased,
        summary: `${tenant.companyName}: ${skuName(sku)} added (${seats(sku.purchased)} purchased, ${sku.assigned} assigned)`,
      });
      continue;
    }
    const explainedDelta = explained.get(key) ?? 0;
    const explainedBySubscriptions = explainedDelta !== 0 && sku.purchased - old.purchased === explainedDelta;
    if (old.purchased !== sku.purchased && !explainedBySubscriptions)
      changes.push(countChange('sku.purchased-changed', tenant, key, sku, 'purchased seats', old.purchased, sku.purchased));
    if (old.assigned !== sku.assigned)
      changes.push(countChange('sku.assigned-changed', tenant, key, sku, 'assigned seats', old.assigned, sku.assigned));
  }
  for (const [key, old] of previous) {
    if (current.has(key)) continue;
    changes.push({
      ...change('sku.removed', tenant, key, null),
      before: old.purchased,
      delta: -old.purchased,
      summary: `${tenant.companyName}: ${skuName(old)} removed (had ${seats(old.purchased)} purchased, ${old.assigned} assigned)`,
    });
  }
  return changes;
}

function countChange(
  kind: LicensingChangeKind,
  tenant: TenantPicture,
  skuId: string,
  sku: SkuPicture,
  what: string,
  before: number,
  after: number,
): LicensingChange {
  return {
    ...change(kind, tenant, skuId, null),
    before,
    after,
    delta: after - before,
    summary: `${tenant.companyName}: ${skuName(sku)} ${what} ${before} → ${after} (${signed(after - before)})`,
  };
}

function subscriptionChanges(was: TenantPicture, tenant: TenantPicture, timeZone: string): LicensingChange[] {
  const previous = new Map(subscriptionsOf(was).map((s) => [s.subscriptionId, s]));
  const current = subscriptionsOf(tenant);
  const label = labeller([...current, ...previous.values()]);
  const changes: LicensingChange[] = [];
  for (const subscription of current) {
    const old = previous.get(subscription.subscriptionId);
    const name = `${tenant.companyName}: ${label(subscription)}`;
    const skuId = subscription.skuId === null ? null : skuKey(subscription.skuId);
    const at = (kind: LicensingChangeKind) => change(kind, tenant, skuId, subscription.subscriptionId);
    const state = subscriptionState(subscription.status);
    if (!old) {
      // A subscription first seen already ended was bought and cancelled between runs: history, not news.
      if (state !== 'ended') {
        changes.push({
          ...at('subscription.added'),
          after: subscription.quantity,
          delta: subscription.quantity,
          summary: `${name} subscription added with ${seats(subscription.quantity)}`,
        });
      }
      continue;
    }
    const oldState = subscriptionState(old.status);
    if (state === 'ended') {
      if (oldState !== 'ended')
        changes.push({
          ...at('subscription.cancelled'),
          before: old.status,
          after: subscription.status,
          summary: `${name} cancelled (status ${subscription.status}, was ${old.status})`,
        });
      continue;
    }
    if (old.quantity !== subscription.quantity) {
      const delta = subscription.quantity - old.quantity;
      changes.push({
        ...at('subscription.quantity-changed'),
        before: old.quantity,
        after: subscription.quantity,
        delta,
        summary: `${name} quantity ${old.quantity} → ${subscription.quantity} (${signed(delta)})`,
      });
    }
    const oldEnd = old.commitmentEndDate;
    const newEnd = subscription.commitmentEndDate;
    if (oldEnd && newEnd && newEnd.getTime() > oldEnd.getTime()) {
      changes.push({
        ...at('subscription.renewed'),
        before: oldEnd.toISOString(),
        after: newEnd.toISOString(),
        summary: `${name} renewed: its term now ends on ${formatDay(newEnd, timeZone)} (was ${formatDay(oldEnd, timeZone)})`,
      });
    }
    if (state === 'suspended' && oldState !== 'suspended') {
      changes.push({
        ...at('subscription.suspended'),
        before: old.status,
        after: subscription.status,
        summary: `${name} suspended (was ${old.status})`,
      });
    }
    if (state === 'active' && (oldState === 'suspended' || oldState === 'ended')) {
      changes.push({
        ...at('subscription.reactivated'),
        before: old.status,
        after: subscription.status,
        summary: `${name} reactivated (was ${old.status})`,
      });
    }
  }
  const listed = new Set(current.map((s) => s.subscriptionId));
  for (const old of previous.values()) {
    if (listed.has(old.subscriptionId) || subscriptionState(old.status) === 'ended') continue;
    changes.push({
      ...change('subscription.cancelled', tenant, old.skuId === null ? null : skuKey(old.skuId), old.subscriptionId),
      before: old.status,
      summary: `${tenant.companyName}: ${label(old)} is no longer listed by Partner Center (cancelled)`,
    });
  }
  return changes;
}

// The offer name, plus the term when the tenant has another subscription of the same name (monthly and annual
// Business Premium side by side).
function labeller(subscriptions: SubscriptionPicture[]): (subscription: SubscriptionPicture) => string {
  const ids = new Map<string, Set<string>>();
  for (const s of subscriptions) {
    const name = offerLabel(s, false);
    ids.set(name, (ids.get(name) ?? new Set()).add(s.subscriptionId));
  }
  return (s) => offerLabel(s, (ids.get(offerLabel(s, false))?.size ?? 0) > 1);
}

function change(kind: LicensingChangeKind, tenant: TenantPicture, skuId: string | null, subscriptionId: string | null): LicensingChange {
  return { kind, tenantId: tenant.tenantId, skuId, subscriptionId, before: null, after: null, delta: null, summary: '' };
}
