import { randomUUID } from 'node:crypto';

// A fact one module tells the others (`module.thing-happened`), with primitive payloads only. Delivered at least
// once: handlers are idempotent by `id`.
export interface IntegrationEvent<Payload extends object = Record<string, unknown>> {
  id: string;
  name: string;
  organizationId: string;
  occurredAt: string;
  payload: Payload;
}

export function integrationEvent<Payload extends object>(
  name: string,
  organizationId: string,
  payload: Payload,
  now: Date,
): IntegrationEvent<Payload> {
  return { id: randomUUID(), name, organizationId, occurredAt: now.toISOString(), payload };
}

// Records events inside the caller's transaction: they are delivered only if the state change commits.
export abstract class EventOutbox {
  abstract publish(event: IntegrationEvent<object>): void;
  // Many events at once, in this order, with the same guarantee (for a use case publishing thousands: a reconciliation
  // run opens one event per discrepancy). Await it inside the transaction.
  publishAll(events: readonly IntegrationEvent<object>[]): Promise<void> {
    for (const event of events) this.publish(event);
    return Promise.resolve();
  }
}
