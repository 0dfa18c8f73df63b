import type { AttemptOutcome, DeliveryState, WebhookDelivery } from '../../domain/webhook-delivery';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint';
import type { WebhookEventType } from '../../domain/webhook-events';

export interface EndpointSummary extends WebhookEndpoint {
  lastDelivery: { eventType: string; state: DeliveryState; createdAt: Date; lastStatus: number | null; lastError: string | null } | null;
}

export interface DeliveryLogEntry extends WebhookDelivery {
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

export interface DeliveryAttempt extends Omit<AttemptOutcome, 'retryAfterSeconds' | 'permanent'> {
  attempt: number;
  attemptedAt: Date;
}

// A delivery this worker may attempt now, with what it needs to send it (the secret in clear, in memory only).
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  url: string;
  secret: string;
}

// Every method takes the organization (the sweeper's `overdue` reads across organizations on purpose and returns
// ids only); an id that is not a uuid finds nothing. Writes join the caller's transaction. Secrets go in and come
// out in clear; the adapter stores them encrypted.
export abstract class WebhookRepository {
  abstract countEndpoints(organizationId: string): Promise<number>;
  abstract addEndpoint(endpoint: WebhookEndpoint, createdByUserId: string, secret: string): Promise<void>;
  abstract findEndpoint(organizationId: string, endpointId: string): Promise<WebhookEndpoint | null>;
  // Oldest first, each with its latest delivery.
  abstract endpoints(organizationId: string): Promise<EndpointSummary[]>;
  abstract endpointsSubscribedTo(organizationId: string, eventType: WebhookEventType): Promise<WebhookEndpoint[]>;
  abstract replaceSecret(organizationId: string, endpointId: string, secret: string, at: Date): Promise<boolean>;
  // Its deliveries go with it.
  abstract removeEndpoint(organizationId: string, endpointId: string): Promise<boolean>;

  abstract addDeliveries(deliveries: WebhookDelivery[]): Promise<void>;
  abstract findDelivery(organizationId: string, deliveryId: string): Promise<DeliveryLogEntry | null>;
  // Newest first.
  abstract deliveries(organizationId: string, endpointId: string, limit: number): Promise<DeliveryLogEntry[]>;
  abstract attempts(organizationId: string, deliveryId: string): Promise<DeliveryAttempt[]>;

  // Takes a pending or retrying delivery for one attempt until `leaseUntil` (null: it is finished, or another
  // worker holds it).
  abstract claim(organizationId: string, deliveryId: string, leaseUntil: Date, now: Date): Promise<ClaimedDelivery | null>;
  // Records attempt number `attempt` and where the delivery stands after it; releases the claim.
  abstract recordAttempt(
    organizationId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    next: { state: DeliveryState; nextAttemptAt: Date | null },
  ): Promise<void>;
  // Deliveries due before `dueBefore` that nobody holds: their job was lost (a crash between a commit and an enqueue).
  abstract overdue(dueBefore: Date, now: Date, limit: number): Promise<{ organizationId: string; deliveryId: string }[]>;
}
