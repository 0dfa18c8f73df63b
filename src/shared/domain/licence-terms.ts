// How licence records read wherever they are used (licences, the reconciliation, the portal): SKU ids compared
// without case, and what a Partner Center subscription's status and term mean. Plain functions, so every
// module's domain can use them without depending on another module.

// Microsoft spells a SKU id in either case; one key per SKU.
export function skuKey(skuId: string): string {
  return skuId.trim().toLowerCase();
}

export type SubscriptionState = 'active' | 'suspended' | 'ended' | 'other';

// Partner Center's statuses grouped by what they mean for the seats. 'disabled' is the legacy spelling of a
// suspension; 'pending' and 'none' are neither usable nor gone yet.
const SUSPENDED = new Set(['suspended', 'disabled']);
const ENDED = new Set(['deleted', 'cancelled', 'canceled', 'expired']);

export function subscriptionState(status: string): SubscriptionState {
  const normalized = status.trim().toLowerCase();
  if (normalized === 'active') return 'active';
  if (SUSPENDED.has(normalized)) return 'suspended';
  if (ENDED.has(normalized)) return 'ended';
  return 'other';
}

// A subscription's term as Partner Center sends it: 'P1M' | 'P1Y' | 'P3Y' (null on legacy subscriptions), and its
// billing cycle ('monthly' | 'annual' | 'none' | …).
export interface SubscriptionTerm {
  termDuration: string | null;
  billingCycle: string;
}

// Whether seats can be given back at any time (a monthly term). The term decides, not the billing cycle: a
// new-commerce annual term billed monthly (P1Y + monthly) is committed for the year and can only be reduced
// inside its cancellation window. Only legacy subscriptions without a term fall back to the billing cycle.
export function isMonthlyTerm(subscription: SubscriptionTerm): boolean {
  const term = subscription.termDuration?.trim().toUpperCase();
  if (term) return term === 'P1M';
  return subscription.billingCycle.trim().toLowerCase() === 'monthly';
}

// 'monthly', 'annual', '3-year', … for people; null when neither the term nor the billing cycle says.
export function termLabel(subscription: SubscriptionTerm): string | null {
  const term = subscription.termDuration?.trim().toUpperCase();
  if (term === 'P1M') return 'monthly';
  if (term === 'P1Y') return 'annual';
  const years = term ? /^P(\d+)Y$/.exec(term) : null;
  if (years) return `${years[1]}-year`;
  if (term) return null;
  const cycle = subscription.billingCycle.trim().toLowerCase();
  return cycle === 'monthly' || cycle === 'annual' ? cycle : null;
}
