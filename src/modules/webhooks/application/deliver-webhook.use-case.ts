import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { nextStep } from '../domain/delivery-schedule';
import { isSuccess } from '../domain/webhook-delivery';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from '../domain/webhook-signature';
import { enqueueDelivery, type DeliverWebhookJob } from './delivery-queue';
import { WebhookRepository } from './ports/webhook.repository';
import { WebhookSender } from './ports/webhook-sender.port';
import { WebhookDeliveryOptions } from './webhook-delivery-options';

// A claim outlives the longest attempt by this much, so it is never taken from a worker still sending; a worker
// that died mid-attempt loses it after that and the delivery is attempted again.
const CLAIM_MARGIN_SECONDS = 30;

// One attempt of one delivery: sign, send, record the outcome, and queue the next attempt if there is one.
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  async execute(job: DeliverWebhookJob): Promise<void> {
    const now = this.clock.now();
    const current = await this.webhooks.findDelivery(job.organizationId, job.deliveryId);
    // Gone (its webhook was removed) or finished: nothing to do.
    if (!current || current.state === 'delivered' || current.state === 'failed') return;
    // A job early for its attempt (one the sweeper queued while the next attempt was still scheduled) waits its turn.
    const waitMs = (current.nextAttemptAt?.getTime() ?? 0) - now.getTime();
    if (waitMs > 1000) {
      await enqueueDelivery(this.jobs, current, Math.ceil(waitMs / 1000));
      return;
    }
    const claimed = await this.webhooks.claim(
      job.organizationId,
      job.deliveryId,
      new Date(now.getTime() + (this.options.timeoutSeconds + CLAIM_MARGIN_SECONDS) * 1000),
      now,
    );
    // Another worker is attempting it; its outcome schedules whatever follows.
    if (!claimed) return;

    const { delivery, url, secret } = claimed;
    const outcome = await this.sender.send({
      url,
      body: delivery.body,
      timeoutMs: this.options.timeoutSeconds * 1000,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Sync365-Webhooks/1',
        [EVENT_HEADER]: delivery.eventType,
        [DELIVERY_HEADER]: delivery.id,
        [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, Math.floor(this.clock.now().getTime() / 1000)),
      },
    });

    const attempt = delivery.attempts + 1;
    const attemptedAt = this.clock.now();
    const { retryAfterSeconds, permanent, ...recorded } = outcome;
    const step = nextStep(attempt, { delivered: isSuccess(outcome), retryAfterSeconds, permanent }, this.options.retryDelaysSeconds);
    const nextAttemptAt = step.state === 'retrying' ? new Date(attemptedAt.getTime() + step.inSeconds * 1000) : null;
    await this.transaction.run(() =>
      this.webhooks.recordAttempt(
        delivery.organizationId,
        delivery.id,
        { attempt, attemptedAt, ...recorded },
        { state: step.state, nextAttemptAt },
      ),
    );
    // Queued after the commit, so the job always sees this attempt; a crash in between leaves it to the sweeper.
    if (step.state === 'retrying') await enqueueDelivery(this.jobs, delivery, step.inSeconds);
    if (step.state === 'failed')
      this.logger.warn(
        {
          organizationId: delivery.organizationId,
          deliveryId: delivery.id,
          endpointId: delivery.endpointId,
          attempts: attempt,
          lastError: outcome.error,
        },
        'Webhook delivery failed for good',
      );
  }
}
