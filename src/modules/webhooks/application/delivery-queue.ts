import type { JobQueue } from '../../../shared/application/job-queue';

// pg-boss queues of webhook delivery. A job carries ids only; the delivery row holds the rest.
export const DELIVER_WEBHOOK_QUEUE = 'webhooks.deliver';
export const SWEEP_DELIVERIES_QUEUE = 'webhooks.sweep-deliveries';

export interface DeliverWebhookJob {
  organizationId: string;
  deliveryId: string;
}

// Keyed by delivery on a 'stately' queue: at most one waiting job per delivery, so the sweeper cannot pile up
// copies of a job that is still queued. Returns null when one is already waiting.
export function enqueueDelivery(
  jobs: JobQueue,
  delivery: { organizationId: string; id: string },
  startAfterSeconds?: number,
): Promise<string | null> {
  const job: DeliverWebhookJob = { organizationId: delivery.organizationId, deliveryId: delivery.id };
  return jobs.enqueue(DELIVER_WEBHOOK_QUEUE, job, { singletonKey: delivery.id, startAfterSeconds });
}
