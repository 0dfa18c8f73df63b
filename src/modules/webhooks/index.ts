// Webhooks: signed deliveries of integration events (licence quantities, discrepancies, finished imports,
// re-consent needed) to each organization's own https endpoints, with retries and a delivery log. Publishes no events.
export { WebhooksModule } from './webhooks.module';
export { WebhookDeliveryOptions } from './application/webhook-delivery-options';
