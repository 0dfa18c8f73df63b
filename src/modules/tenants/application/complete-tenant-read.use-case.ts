import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import type { LicencesRecordedPayload } from '../../licensing/events';
import { announceImportFinished } from './import-finished';
import { ImportRepository } from './ports/import.repository';

// The licensing module has recorded a tenant's licences: the tenant's totals are kept for the customers list
// (search, sort and filter stay within this module's table) and the tenant counts as done in its import.
@Injectable()
export class CompleteTenantReadUseCase {
  constructor(
    private readonly imports: ImportRepository,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  execute(organizationId: string, payload: LicencesRecordedPayload): Promise<void> {
    // Joins the event handler's transaction (its inbox row) rather than nesting a savepoint in it.
    return this.transaction.join(async () => {
      const now = this.clock.now();
      if (await this.imports.recordTotalsAndMarkDone(organizationId, payload.importRunId, payload.tenantId, payload, now))
        await announceImportFinished(this.imports, this.outbox, organizationId, payload.importRunId, now);
    });
  }
}
