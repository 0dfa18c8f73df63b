import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../../../../shared/application/clock';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker } from '../../../../shared/interface/jobs/job-handlers';
import { CheckConsentHealthUseCase } from '../../application/check-consent-health.use-case';

export const CONSENT_HEALTH_QUEUE = 'consent.health-check';

@Injectable()
export class ConsentHealthJob {
  constructor(
    private readonly jobs: JobQueue,
    private readonly checkHealth: CheckConsentHealthUseCase,
    private readonly clock: Clock,
  ) {}

  // The cron only enqueues: with several app instances every one of them fires, and the day's key lets exactly
  // one job through.
  @Cron('0 30 3 * * *', { name: 'consent-health', timeZone: 'UTC' })
  async enqueueDaily(): Promise<void> {
    await this.jobs.enqueue(CONSENT_HEALTH_QUEUE, {}, { onceKey: this.clock.now().toISOString().slice(0, 10) });
  }

  @JobWorker({ queue: CONSENT_HEALTH_QUEUE, policy: 'stately', retryLimit: 2, expireInSeconds: 60 * 60 })
  async run(): Promise<void> {
    await this.checkHealth.execute();
  }
}
