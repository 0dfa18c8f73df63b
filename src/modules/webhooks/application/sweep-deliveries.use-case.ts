import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { DELIVER_WEBHOOK_QUEUE, type DeliverWebhookJob } from './delivery-queue';
import { WebhookRepository } from './ports/webhook.repository';
import { WebhookDeliveryOptions } from './webhook-delivery-options';

const BATCH = 500;

// The delivery rows are the truth and jobs only make attempts happen on time. A job can be lost between a commit
// and its enqueue (a crash, a failed enqueue); this finds every delivery overdue with nobody attempting it and
// queues it again, so a restart loses nothing.
@Injectable()
export class SweepDeliveriesUseCase {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  async execute(): Promise<number> {
    const now = this.clock.now();
    const overdue = await this.webhooks.overdue(new Date(now.getTime() - this.options.overdueAfterSeconds * 1000), now, BATCH);
    await this.jobs.enqueueMany(
      DELIVER_WEBHOOK_QUEUE,
      overdue.map((d) => ({
        data: { organizationId: d.organizationId, deliveryId: d.deliveryId } satisfies DeliverWebhookJob,
        singletonKey: d.deliveryId,
      })),
    );
    if (overdue.length > 0) this.logger.log({ count: overdue.length }, 'Queued overdue webhook deliveries again');
    return overdue.length;
  }
}
