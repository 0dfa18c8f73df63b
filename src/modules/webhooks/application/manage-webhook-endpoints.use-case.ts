import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail, type AuditAction } from '../../audit';
import {
  endpointUrl,
  MAX_ENDPOINTS_PER_ORGANIZATION,
  newSigningSecret,
  subscribedEvents,
  type WebhookEndpoint,
} from '../domain/webhook-endpoint';
import { eventLabel } from '../domain/webhook-events';
import { WebhookEndpointLimitExceededError, WebhookEndpointNotFoundError } from '../domain/webhooks.errors';
import { WebhookRepository } from './ports/webhook.repository';
import { WebhookDeliveryOptions } from './webhook-delivery-options';

// The secret is returned here and nowhere else: the page shows it once, and from then on only its ciphertext exists.
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

// Adds a webhook, rotates its secret or removes it; each change is audit logged (never with the secret).
@Injectable()
export class ManageWebhookEndpointsUseCase {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  async add(actor: Actor, input: { url: unknown; events: unknown }): Promise<EndpointWithSecret> {
    const url = endpointUrl(input.url, this.options.allowedHosts);
    const events = subscribedEvents(input.events);
    return this.transaction.run(async () => {
      if ((await this.webhooks.countEndpoints(actor.organizationId)) >= MAX_ENDPOINTS_PER_ORGANIZATION)
        throw new WebhookEndpointLimitExceededError(MAX_ENDPOINTS_PER_ORGANIZATION);
      const endpoint: WebhookEndpoint = {
        id: randomUUID(),
        organizationId: actor.organizationId,
        url,
        events,
        createdAt: this.clock.now(),
        createdByName: actor.displayName,
        secretRotatedAt: null,
      };
      const secret = newSigningSecret();
      await this.webhooks.addEndpoint(endpoint, actor.userId, secret);
      this.record(actor, 'webhooks.endpoint-added', url, `Events: ${events.map(eventLabel).join(', ')}.`);
      return { endpoint, secret };
    });
  }

  // The old secret stops working at once: deliveries still to be attempted are signed with the new one.
  async rotateSecret(actor: Actor, endpointId: string): Promise<EndpointWithSecret> {
    return this.transaction.run(async () => {
      const endpoint = await this.webhooks.findEndpoint(actor.organizationId, endpointId);
      if (!endpoint) throw new WebhookEndpointNotFoundError();
      const secret = newSigningSecret();
      const at = this.clock.now();
      if (!(await this.webhooks.replaceSecret(actor.organizationId, endpoint.id, secret, at))) throw new WebhookEndpointNotFoundError();
      this.record(
        actor,
        'webhooks.secret-rotated',
        endpoint.url,
        'A new signing secret was generated; the previous one no longer verifies.',
      );
      return { endpoint: { ...endpoint, secretRotatedAt: at }, secret };
    });
  }

  async remove(actor: Actor, endpointId: string): Promise<WebhookEndpoint> {
    return this.transaction.run(async () => {
      const endpoint = await this.webhooks.findEndpoint(actor.organizationId, endpointId);
      if (!endpoint || !(await this.webhooks.removeEndpoint(actor.organizationId, endpoint.id))) throw new WebhookEndpointNotFoundError();
      this.record(actor, 'webhooks.endpoint-removed', endpoint.url, 'Removed with its delivery log; deliveries not yet made are dropped.');
      return endpoint;
    });
  }

  private record(actor: Actor, action: AuditAction, subject: string, detail: string): void {
    this.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action,
      subject,
      outcome: 'success',
      detail,
    });
  }
}
