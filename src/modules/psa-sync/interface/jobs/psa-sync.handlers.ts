import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { BILLING_PREVIEW_CHANGED } from '../../../billing';
import { RECONCILIATION_COMPLETED } from '../../../reconciliation/events';
import { PsaSyncOptions } from '../../application/psa-sync-options';
import { PSA_SYNC_QUEUE, RequestSyncUseCase, type PsaSyncJob } from '../../application/request-sync.use-case';
import { SyncPsaUseCase } from '../../application/sync-psa.use-case';

// The daily sync follows the reconciliation (billing recomputes the approved invoice in the same event's handling;
// the delay lets that commit first) and any later change of the preview. A run is one job: a crash, a PSA outage or a
// rate limit retries it with the same run id, which skips the tenants it finished and re-reads the PSA for the rest.
@Injectable()
export class PsaSyncHandlers {
  constructor(
    private readonly request: RequestSyncUseCase,
    private readonly sync: SyncPsaUseCase,
    private readonly options: PsaSyncOptions,
  ) {}

  @OnIntegrationEvent(RECONCILIATION_COMPLETED)
  async onReconciliationCompleted(event: IntegrationEvent): Promise<void> {
    await this.request.scheduled(event.organizationId, this.options.afterReconciliationSeconds, 'Daily reconciliation');
  }

  // One per changed tenant (a profile change on a large partner: thousands): taken 25 at a time.
  @OnIntegrationEvent(BILLING_PREVIEW_CHANGED, { batchSize: 25 })
  async onPreviewChanged(event: IntegrationEvent): Promise<void> {
    await this.request.scheduled(event.organizationId, this.options.afterPreviewChangeSeconds, 'Invoice preview changed');
  }

  @JobWorker({ queue: PSA_SYNC_QUEUE, policy: 'stately', retryLimit: 5, heartbeatSeconds: 10 })
  async run(job: PsaSyncJob): Promise<void> {
    await this.sync.execute({ ...job, dryRun: false });
  }
}
