// One event sent (or to be sent) to one endpoint. The body is kept exactly as first built, so a redelivery sends
// the same bytes; the signature is made at each attempt (its timestamp is the attempt's).
export type DeliveryState = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  organizationId: string;
  endpointId: string;
  // The event's id: the same for a redelivery, so a receiver can tell it has seen the event before.
  eventId: string;
  eventType: string;
  body: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  // Who asked for it: null for an event, a person's name for a redelivery or a test event.
  requestedByName: string | null;
  redeliveryOf: string | null;
}

export interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  organizationId: string;
  data: object;
}

// The JSON partners receive, with its keys always in this order.
export function webhookBody(body: WebhookBody): string {
  return JSON.stringify({ id: body.id, type: body.type, createdAt: body.createdAt, organizationId: body.organizationId, data: body.data });
}

// What one attempt came to. `status` is the HTTP status when the endpoint answered at all.
export interface AttemptOutcome {
  status: number | null;
  // Why it failed, in plain words (null when delivered).
  error: string | null;
  // Seconds the endpoint asked us to wait (Retry-After on 429 or 503).
  retryAfterSeconds: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  // No later attempt can do better (the address is one Sync 365 does not send to): failed at once, not retried.
  permanent?: boolean;
}

export const isSuccess = (outcome: Pick<AttemptOutcome, 'status'>) =>
  outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
