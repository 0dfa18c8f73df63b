import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { IMPORT_FINISHED, type ImportFinishedPayload } from '../../../tenants/events';
import { FinalizeReconciliationUseCase } from '../../application/finalize-reconciliation.use-case';
import { ScheduleReconciliationsUseCase } from '../../application/schedule-reconciliations.use-case';

export const SCHEDULE_RECONCILIATIONS_QUEUE = 'licensing.schedule-reconciliations';

@Injectable()
export class ReconciliationJobs {
  constructor(
    private readonly finalize: FinalizeReconciliationUseCase,
    private readonly schedule: ScheduleReconciliationsUseCase,
    private readonly jobs: JobQueue,
  ) {}

  @OnIntegrationEvent(IMPORT_FINISHED)
  async onImportFinished(event: IntegrationEvent<ImportFinishedPayload>): Promise<void> {
    await this.finalize.execute(event.organizationId, event.payload);
  }

  // The cron only enqueues (every instance fires it; the singleton key keeps one waiting job); pg-boss runs it.
  @Cron('30 * * * * *', { name: 'schedule-reconciliations' })
  async enqueueSchedule(): Promise<void> {
    await this.jobs.enqueue(SCHEDULE_RECONCILIATIONS_QUEUE, {}, { singletonKey: 'schedule' });
  }

  @JobWorker({ queue: SCHEDULE_RECONCILIATIONS_QUEUE, policy: 'stately', retryLimit: 0 })
  async scheduleDue(): Promise<void> {
    await this.schedule.execute();
  }
}
