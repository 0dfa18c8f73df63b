import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker } from '../../../../shared/interface/jobs/job-handlers';
import { SettleChangesUseCase } from '../../application/settle-changes.use-case';

export const SETTLE_CHANGES_QUEUE = 'portal.settle-changes';

// Every ten minutes, because the same job settles changes whose Partner Center outcome was left open (the person
// and the partner wait for that answer); scheduled decreases, due on their renewal day, ride along (they would
// need only a daily run). The cron only enqueues (every instance fires it; the singleton key keeps one waiting
// job); pg-boss runs the job on one instance.
@Injectable()
export class PortalJobs {
  constructor(
    private readonly settle: SettleChangesUseCase,
    private readonly jobs: JobQueue,
  ) {}

  @Cron('0 */10 * * * *', { name: 'portal-settle-changes' })
  async enqueueSettle(): Promise<void> {
    await this.jobs.enqueue(SETTLE_CHANGES_QUEUE, {}, { singletonKey: 'settle' });
  }

  @JobWorker({ queue: SETTLE_CHANGES_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 })
  async settleChanges(): Promise<void> {
    await this.settle.execute();
  }
}
