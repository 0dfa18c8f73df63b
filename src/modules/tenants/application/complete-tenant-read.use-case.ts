import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import type { LicencesRecordedPayload } from '../../licensing/events';
import { announceImportFinished } from './import-finished';
import { ImportRepository } from './ports/import.repository';

// The licensing module has recorded tenants' licences: each tenant's totals are kept for the customers list (search,
// sort and filter stay within this module's table) and the tenant counts as done in its import.
@Injectable()
export class CompleteTenantReadUseCase {
  constructor(
    private readonly imports: ImportRepository,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  // Several tenants at once (a batch of events): their runs' counters are written once each.
  execute(recorded: readonly (LicencesRecordedPayload & { organizationId: string })[]): Promise<void> {
    // Joins the event handler's transaction (its inbox row) rather than nesting a savepoint in it.
    return this.transaction.join(async () => {
      const now = this.clock.now();
      const finished = await this.imports.recordTotalsAndMarkDone(
        recorded.map(({ organizationId, importRunId, tenantId, ...totals }) => ({ organizationId, runId: importRunId, tenantId, totals })),
        now,
      );
      for (const run of finished) await announceImportFinished(this.imports, this.outbox, run.organizationId, run.runId, now);
    });
  }
}
