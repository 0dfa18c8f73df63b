// The events a partner can subscribe an endpoint to. These type names are a public contract (partners switch on
// them), kept here as literals so an internal rename of an integration event cannot change them by accident.
export const WEBHOOK_EVENT_TYPES = [
  {
    type: 'licensing.quantity-changed',
    label: 'Licence quantity changed',
    description: 'A reconciliation found a different seat count (purchased or assigned) for a product of a customer tenant.',
  },
  {
    type: 'licensing.discrepancy-opened',
    label: 'Discrepancy opened',
    description:
      'A reconciliation found a problem the previous run did not have (unassigned seats, over-assignment, a suspended subscription…).',
  },
  { type: 'licensing.discrepancy-closed', label: 'Discrepancy closed', description: 'A problem the previous run reported is gone.' },
  {
    type: 'tenants.import-finished',
    label: 'Import finished',
    description:
      'Reading a Partner Center account’s customer tenants finished: counts, and the tenants that could not be read with the reason.',
  },
  {
    type: 'consent.reconsent-needed',
    label: 'Delegated admin needs re-consent',
    description: 'Microsoft no longer accepts a connected Partner Center account’s consent; someone has to grant it again.',
  },
  {
    type: 'licensing.licence-changed',
    label: 'Licence changed',
    description:
      'A reconciliation found a change other than a seat count: a customer tenant or product added or removed, a subscription added, renewed, suspended, reactivated or cancelled.',
  },
  {
    type: 'portal.change-requested',
    label: 'Licence change requested',
    description: 'A customer asked for more or fewer seats on the licence portal; it waits for your decision.',
  },
  {
    type: 'portal.change-decided',
    label: 'Licence change decided',
    description:
      'A customer’s licence change was rejected, or approved with what Partner Center did (applied, failed, scheduled for renewal, or still being applied).',
  },
  {
    type: 'portal.change-completed',
    label: 'Licence change completed',
    description: 'An approved licence change that was scheduled for renewal or still being applied is now applied or has failed.',
  },
  {
    type: 'billing.preview-changed',
    label: 'Invoice preview changed',
    description: 'The next invoice of a customer tenant changed (its lines or its total): the total before and now, in your currency.',
  },
  {
    type: 'billing.approval-needed',
    label: 'Invoice change needs approval',
    description:
      'A change of a customer’s invoice (a decrease, a removed or new line, or an increase when increases are not automatic) waits in the approval queue.',
  },
  {
    type: 'alert.opened',
    label: 'Alert opened',
    description:
      'An alert rule found something that needs attention (over-assigned seats, a subscription that will not renew, GDAP ending…): severity, customer, what to do.',
  },
  { type: 'alert.resolved', label: 'Alert resolved', description: 'The condition of an open alert cleared.' },
  {
    type: 'billing.psa-sync-completed',
    label: 'PSA sync completed',
    description:
      'A sync into ConnectWise PSA or Autotask finished and every mapped customer’s agreement or contract bills what the approved invoice says: counts of customers and changed lines.',
  },
  {
    type: 'billing.psa-sync-failed',
    label: 'PSA sync failed for some customers',
    description:
      'A sync into the PSA finished but the PSA refused some customers (the others were synced): per customer the PSA’s message and what to do.',
  },
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]['type'];

// Sent only on request ("Send test event"), whatever the endpoint subscribes to.
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return WEBHOOK_EVENT_TYPES.some((e) => e.type === value);
}

export function eventLabel(type: string): string {
  return WEBHOOK_EVENT_TYPES.find((e) => e.type === type)?.label ?? (type === WEBHOOK_TEST_EVENT ? 'Test event' : type);
}
