import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { RECONCILIATION_DUE, type ReconciliationDuePayload } from '../contracts/licensing-events';

// "Run now": the same run as the daily one. The tenants module re-reads every tenant (the import banner shows
// the progress); each finished import becomes a reconciliation run.
@Injectable()
export class RequestReconciliationUseCase {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  execute(organizationId: string): Promise<void> {
    return this.transaction.run(async () => {
      this.outbox.publish(integrationEvent<ReconciliationDuePayload>(RECONCILIATION_DUE, organizationId, { trigger: 'manual', localDate: null }, this.clock.now()));
    });
  }
}
