// Microsoft's raw terms as a partner admin reads them: one place for each vocabulary, used by every page through
// the view helpers registered in app.factory.ts. A value Microsoft adds later shows as Microsoft sends it.

// ISO-8601 durations Partner Center gives subscription terms in (FACTS §: termDuration P1M|P1Y|P3Y).
export function termWords(value: string | null | undefined): string {
  if (!value) return '';
  const match = /^P(\d+)([DWMY])$/i.exec(value.trim());
  if (!match) return value;
  const count = Number(match[1]);
  const unit = { D: 'day', W: 'week', M: 'month', Y: 'year' }[match[2].toUpperCase() as 'D' | 'W' | 'M' | 'Y'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

// Partner Center's billingCycle: unknown|monthly|annual|none|one_time|triennial|biennial.
export const BILLING_CYCLE_WORDS: Record<string, string> = {
  monthly: 'Monthly',
  annual: 'Annual',
  biennial: 'Every 2 years',
  triennial: 'Every 3 years',
  one_time: 'Once',
  none: 'Not billed',
  unknown: 'Unknown',
};

// Partner Center's subscription status: none|active|pending|suspended|deleted|expired|disabled; and the status of a
// subscription in the customer's directory (Graph): Enabled|Warning|Suspended|LockedOut|Deleted.
export const SUBSCRIPTION_STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  pending: 'Pending',
  suspended: 'Suspended',
  deleted: 'Cancelled',
  expired: 'Expired',
  disabled: 'Disabled',
  none: 'No status',
  enabled: 'Active',
  warning: 'In grace period',
  lockedout: 'Locked out',
  unknown: 'Unknown',
};

export function billingCycleWords(value: string | null | undefined): string {
  return wordsOf(BILLING_CYCLE_WORDS, value);
}

export function subscriptionStatusWords(value: string | null | undefined): string {
  return wordsOf(SUBSCRIPTION_STATUS_WORDS, value);
}

function wordsOf(words: Record<string, string>, value: string | null | undefined): string {
  if (!value) return '';
  return words[value.trim().toLowerCase().replace(/[\s-]/g, '')] ?? words[value.trim().toLowerCase()] ?? value;
}

// Graph's delegatedAdminRelationship status (GDAP).
export const GDAP_STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  activating: 'Being activated',
  approvalpending: 'Waiting for the customer’s approval',
  approved: 'Approved',
  created: 'Created, not yet sent to the customer',
  expiring: 'Expiring',
  expired: 'Expired',
  terminating: 'Ending',
  terminationrequested: 'Ending requested',
  terminated: 'Ended',
};

export function gdapStatusWords(value: string | null | undefined): string {
  return wordsOf(GDAP_STATUS_WORDS, value);
}
