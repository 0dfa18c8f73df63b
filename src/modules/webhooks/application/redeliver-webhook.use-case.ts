import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail, type AuditAction } from '../../audit';
import { webhookBody, type WebhookDelivery } from '../domain/webhook-delivery';
import { eventLabel, WEBHOOK_TEST_EVENT } from '../domain/webhook-events';
import { WebhookDeliveryNotFoundError, WebhookEndpointNotFoundError } from '../domain/webhooks.errors';
import { assertPublicHost, type WebhookEndpoint } from '../domain/webhook-endpoint';
import { enqueueDelivery } from './delivery-queue';
import { WebhookRepository } from './ports/webhook.repository';
import { WebhookDeliveryOptions } from './webhook-delivery-options';

// Deliveries a person asks for: "Redeliver" (the same event body again, as a new delivery with its own id and a
// fresh signature) and "Send test event". Both are audit logged.
@Injectable()
export class RedeliverWebhookUseCase {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  async redeliver(actor: Actor, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.endpointOf(actor, endpointId);
    const original = await this.webhooks.findDelivery(actor.organizationId, deliveryId);
    if (!original || original.endpointId !== endpoint.id) throw new WebhookDeliveryNotFoundError();
    const delivery = this.newDelivery(actor, endpoint, {
      eventId: original.eventId,
      eventType: original.eventType,
      body: original.body,
      redeliveryOf: original.id,
    });
    return this.queue(
      actor,
      delivery,
      endpoint,
      'webhooks.redelivered',
      `${eventLabel(original.eventType)} (event ${original.eventId}) sent again as delivery ${delivery.id}.`,
    );
  }

  async sendTest(actor: Actor, endpointId: string): Promise<WebhookDelivery> {
    const endpoint = await this.endpointOf(actor, endpointId);
    const eventId = randomUUID();
    const createdAt = this.clock.now().toISOString();
    const body = webhookBody({
      id: eventId,
      type: WEBHOOK_TEST_EVENT,
      createdAt,
      organizationId: actor.organizationId,
      data: {
        message: 'A test event from Sync 365: if its signature verifies, this webhook is set up correctly.',
        webhookId: endpoint.id,
        sentByName: actor.displayName,
      },
    });
    const delivery = this.newDelivery(actor, endpoint, { eventId, eventType: WEBHOOK_TEST_EVENT, body, redeliveryOf: null });
    return this.queue(actor, delivery, endpoint, 'webhooks.test-sent', `Test event sent as delivery ${delivery.id}.`);
  }

  private async endpointOf(actor: Actor, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.findEndpoint(actor.organizationId, endpointId);
    if (!endpoint) throw new WebhookEndpointNotFoundError();
    // Said at once rather than as a failed delivery (sending checks again, for names that resolve to such addresses).
    assertPublicHost(endpoint.url, this.options.allowedHosts);
    return endpoint;
  }

  private newDelivery(
    actor: Actor,
    endpoint: WebhookEndpoint,
    what: Pick<WebhookDelivery, 'eventId' | 'eventType' | 'body' | 'redeliveryOf'>,
  ): WebhookDelivery {
    const now = this.clock.now();
    return {
      id: randomUUID(),
      organizationId: actor.organizationId,
      endpointId: endpoint.id,
      ...what,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      requestedByName: actor.displayName,
    };
  }

  private async queue(
    actor: Actor,
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    action: AuditAction,
    detail: string,
  ): Promise<WebhookDelivery> {
    await this.transaction.run(async () => {
      await this.webhooks.addDeliveries([delivery]);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action,
        subject: endpoint.url,
        outcome: 'success',
        detail,
      });
    });
    // After the commit, so the job finds the row; a crash in between leaves it to the sweeper.
    await enqueueDelivery(this.jobs, delivery);
    return delivery;
  }
}
