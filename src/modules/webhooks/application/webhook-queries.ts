import { Injectable } from '@nestjs/common';
import type { WebhookEndpoint } from '../domain/webhook-endpoint';
import { WebhookDeliveryNotFoundError, WebhookEndpointNotFoundError } from '../domain/webhooks.errors';
import { WebhookRepository, type DeliveryAttempt, type DeliveryLogEntry, type EndpointSummary } from './ports/webhook.repository';

// What the Settings → Webhooks pages show, always of the signed-in organization; an id of another organization
// is simply not found.
@Injectable()
export class WebhookQueries {
  constructor(private readonly webhooks: WebhookRepository) {}

  endpoints(organizationId: string): Promise<EndpointSummary[]> {
    return this.webhooks.endpoints(organizationId);
  }

  async endpoint(organizationId: string, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.findEndpoint(organizationId, endpointId);
    if (!endpoint) throw new WebhookEndpointNotFoundError();
    return endpoint;
  }

  async log(
    organizationId: string,
    endpointId: string,
    limit: number,
  ): Promise<{ endpoint: WebhookEndpoint; deliveries: DeliveryLogEntry[] }> {
    const endpoint = await this.endpoint(organizationId, endpointId);
    return { endpoint, deliveries: await this.webhooks.deliveries(organizationId, endpoint.id, limit) };
  }

  async delivery(
    organizationId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<{ endpoint: WebhookEndpoint; delivery: DeliveryLogEntry; attempts: DeliveryAttempt[] }> {
    const endpoint = await this.endpoint(organizationId, endpointId);
    const delivery = await this.webhooks.findDelivery(organizationId, deliveryId);
    if (!delivery || delivery.endpointId !== endpoint.id) throw new WebhookDeliveryNotFoundError();
    return { endpoint, delivery, attempts: await this.webhooks.attempts(organizationId, delivery.id) };
  }
}
