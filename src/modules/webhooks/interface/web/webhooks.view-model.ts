import type { DeliveryAttempt, DeliveryLogEntry, EndpointSummary } from '../../application/ports/webhook.repository';
import type { DeliveryState } from '../../domain/webhook-delivery';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint';
import { eventLabel, WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events';

const STATE_BADGES: Record<DeliveryState, { label: string; badge: string }> = {
  pending: { label: 'Pending', badge: 'neutral' },
  retrying: { label: 'Retrying', badge: 'warn' },
  delivered: { label: 'Delivered', badge: 'ok' },
  failed: { label: 'Failed', badge: 'bad' },
};

export const eventChoices = () => WEBHOOK_EVENT_TYPES.map((e) => ({ type: e.type, label: e.label, description: e.description }));

export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events.map((type) => ({ type, label: eventLabel(type) })),
    allEvents: endpoint.events.length === WEBHOOK_EVENT_TYPES.length,
    createdAt: endpoint.createdAt.toISOString(),
    createdByName: endpoint.createdByName,
    secretRotatedAt: endpoint.secretRotatedAt?.toISOString() ?? null,
    href: `/settings/webhooks/${endpoint.id}`,
  };
}

// The endpoint's health at a glance, from its latest delivery.
export function endpointSummaryView(summary: EndpointSummary) {
  const last = summary.lastDelivery;
  const status = !last
    ? { label: 'No deliveries yet', badge: 'neutral' }
    : last.state === 'delivered'
      ? { label: 'Working', badge: 'ok' }
      : last.state === 'pending'
        ? { label: 'Sending', badge: 'neutral' }
        : { label: last.state === 'failed' ? 'Failing' : 'Retrying', badge: last.state === 'failed' ? 'bad' : 'warn' };
  return {
    ...endpointView(summary),
    status,
    lastDelivery: last
      ? {
          eventLabel: eventLabel(last.eventType),
          createdAt: last.createdAt.toISOString(),
          ...STATE_BADGES[last.state],
          outcome: outcomeText(last.lastStatus, last.lastError),
        }
      : null,
  };
}

export function deliveryView(endpointId: string, delivery: DeliveryLogEntry) {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    eventLabel: eventLabel(delivery.eventType),
    createdAt: delivery.createdAt.toISOString(),
    attempts: delivery.attempts,
    ...STATE_BADGES[delivery.state],
    state: delivery.state,
    outcome: outcomeText(delivery.lastStatus, delivery.lastError),
    lastError: delivery.lastError,
    nextAttemptAt: delivery.state === 'retrying' || delivery.state === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    requestedByName: delivery.requestedByName,
    redeliveryOf: delivery.redeliveryOf,
    href: `/settings/webhooks/${endpointId}/deliveries/${delivery.id}`,
    redeliverAction: `/settings/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`,
  };
}

export function attemptView(attempt: DeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    attemptedAt: attempt.attemptedAt.toISOString(),
    status: attempt.status,
    ok: attempt.status !== null && attempt.status >= 200 && attempt.status < 300,
    error: attempt.error,
    durationMs: Math.round(attempt.durationMs),
    responseExcerpt: attempt.responseExcerpt,
  };
}

// How long a failing delivery keeps being tried, in words ("about an hour").
export function retrySpan(delaysSeconds: readonly number[]): string {
  const seconds = delaysSeconds.reduce((sum, s) => sum + s, 0);
  if (seconds < 120) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes >= 50 && minutes <= 75) return 'about an hour';
  return minutes < 120 ? `about ${minutes} minutes` : `about ${Math.round(minutes / 60)} hours`;
}

// The body as stored, indented for reading (it is sent compact).
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function outcomeText(status: number | null, error: string | null): string {
  if (status !== null && status >= 200 && status < 300) return `HTTP ${status}`;
  if (error) return error;
  return status === null ? 'Not attempted yet' : `HTTP ${status}`;
}
