import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { webhookBody, type WebhookDelivery } from '../domain/webhook-delivery';
import type { WebhookEventType } from '../domain/webhook-events';
import { enqueueDelivery } from './delivery-queue';
import { WebhookRepository } from './ports/webhook.repository';

export interface WebhookEvent {
  // The integration event's id: the body's `id`, stable across redeliveries.
  id: string;
  organizationId: string;
  occurredAt: string;
  type: WebhookEventType;
  data: object;
}

// Called in the integration event handler's transaction: one delivery per endpoint of the event's organization
// that subscribes to it, committed with the event's inbox row, so the event is fanned out exactly once.
@Injectable()
export class RecordEventDeliveriesUseCase {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async execute(event: WebhookEvent): Promise<void> {
    const endpoints = await this.webhooks.endpointsSubscribedTo(event.organizationId, event.type);
    if (endpoints.length === 0) return;
    const now = this.clock.now();
    const body = webhookBody({
      id: event.id,
      type: event.type,
      createdAt: event.occurredAt,
      organizationId: event.organizationId,
      data: event.data,
    });
    const deliveries: WebhookDelivery[] = endpoints.map((endpoint) => ({
      id: randomUUID(),
      organizationId: event.organizationId,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      body,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      requestedByName: null,
      redeliveryOf: null,
    }));
    await this.webhooks.addDeliveries(deliveries);
    // The job queue does not join this transaction, so a job could start before the rows are committed: starting
    // it a second later lets the commit land first. Should it still find nothing, the sweeper queues the delivery
    // again once it is overdue.
    for (const delivery of deliveries) await enqueueDelivery(this.jobs, delivery, 1);
  }
}
