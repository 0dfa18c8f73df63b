import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { RECONCILIATION_COMPLETED, type ReconciliationCompletedPayload } from '../../../reconciliation/events';
import { FreezeSnapshotUseCase } from '../../application/freeze-snapshot.use-case';
import { RecomputeBillingUseCase } from '../../application/recompute-billing.use-case';

// A finished reconciliation means new seat counts: the preview is computed again (changes applied or queued for
// approval), and the first run after a month ends freezes that month's billing snapshot. Once per event id, in the
// event's transaction.
@Injectable()
export class BillingHandlers {
  constructor(
    private readonly recompute: RecomputeBillingUseCase,
    private readonly freeze: FreezeSnapshotUseCase,
  ) {}

  @OnIntegrationEvent(RECONCILIATION_COMPLETED)
  async onReconciliationCompleted(event: IntegrationEvent<ReconciliationCompletedPayload>): Promise<void> {
    // Frozen first: the ended month keeps the approved invoices as they stood, before this run's changes apply.
    await this.freeze.afterMonthEnd(event.organizationId);
    await this.recompute.execute(event.organizationId);
  }
}
