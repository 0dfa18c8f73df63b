// Changing a customer's subscription in Partner Center (a write), as a delegated admin. The outcome is told in
// plain words, and nothing is ever reported half-applied: when Partner Center's answer leaves the effect unknown
// (a 5xx, a dropped connection), the subscription is read again before anything is reported.

export interface QuantityChange {
  organizationId: string;
  delegatedAdminId: string;
  customerTenantId: string;
  // Partner Center's subscription id, as Partner Center sent it.
  subscriptionId: string;
  // The quantity the change starts from: when Partner Center holds another one, someone changed the subscription
  // meanwhile and nothing is sent.
  from: number;
  to: number;
}

export type QuantityChangeOutcome =
  // Partner Center holds `quantity` seats now; `detail` says how that is known.
  | { outcome: 'applied'; quantity: number; detail: string }
  // Partner Center said no, or the subscription is not what the change expected: nothing was changed.
  | { outcome: 'refused'; reason: string }
  // Partner Center failed or could not be reached, and nothing was changed (re-read where it mattered).
  | { outcome: 'failed'; reason: string }
  // Neither the change nor a re-read told what Partner Center holds now: ask `currentQuantity` later.
  | { outcome: 'unknown'; reason: string };

export abstract class SubscriptionChanges {
  abstract changeQuantity(change: QuantityChange): Promise<QuantityChangeOutcome>;
  // What Partner Center holds now, to settle an unknown outcome; null when it no longer lists the subscription.
  // Throws (MicrosoftUnavailableError, the consent's errors) when it cannot tell.
  abstract currentQuantity(organizationId: string, delegatedAdminId: string, customerTenantId: string, subscriptionId: string): Promise<number | null>;
}
