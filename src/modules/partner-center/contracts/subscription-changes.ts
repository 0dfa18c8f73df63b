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
  | { outcome: 'unknown'; reason: string }
  // Partner Center accepted the change for later (202 Accepted, FACTS §7a.5): neither done nor failed until the
  // subscription reads back changed (`subscriptionState`).
  | { outcome: 'pending'; reason: string };

// New commerce (FACTS §7a.4): what a subscription allows now and what it will do at renewal.
export interface SubscriptionCommerceState {
  quantity: number;
  // Seats Partner Center lets be reduced now (refundableQuantity.totalQuantity), and until when the first of them
  // can; null when Partner Center does not say (legacy subscriptions).
  refundableQuantity: number | null;
  refundableUntil: string | null;
  // The quantity scheduled for the next term (scheduledNextTermInstructions), null when nothing is scheduled.
  scheduledQuantity: number | null;
  // The first day of the next term (the day after commitmentEndDate), ISO-8601; null when unknown.
  renewsOn: string | null;
  autoRenewEnabled: boolean;
}

export type ScheduleOutcome =
  // Partner Center holds the change for the renewal on `renewsOn`.
  | { outcome: 'scheduled'; quantity: number; renewsOn: string | null; detail: string }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'unknown'; reason: string };

export abstract class SubscriptionChanges {
  abstract changeQuantity(change: QuantityChange): Promise<QuantityChangeOutcome>;
  // What Partner Center holds now, to settle an unknown outcome; null when it no longer lists the subscription.
  // Throws (MicrosoftUnavailableError, the consent's errors) when it cannot tell.
  abstract currentQuantity(
    organizationId: string,
    delegatedAdminId: string,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<number | null>;
  // The subscription's seat rules as Partner Center states them now; null when it no longer lists it. Throws like
  // currentQuantity.
  abstract subscriptionState(
    organizationId: string,
    delegatedAdminId: string,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<SubscriptionCommerceState | null>;
  // A decrease (or any new quantity) written as a scheduled change for the next renewal
  // (transitionEligibilities?eligibilityType=scheduled, then scheduledNextTermInstructions): nothing changes now.
  abstract scheduleQuantityAtRenewal(change: QuantityChange): Promise<ScheduleOutcome>;
  // Removes the change scheduled for renewal, if it is still `quantity` seats (a partner calling off a scheduled
  // reduction). Refused when Partner Center holds another scheduled change.
  abstract cancelScheduledQuantity(change: QuantityChange): Promise<ScheduleOutcome | { outcome: 'cancelled'; detail: string }>;
}
