import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { LicenceHoldings } from '../../licensing';
import { RECONCILIATION_DUE, type ReconciliationDuePayload } from '../events';
import { isDue } from '../domain';
import { ReconciliationRepository } from './ports/reconciliation.repository';

// Every minute: which organizations reached their daily reconciliation time (in their own time zone) today?
// Each is claimed in the database, so with several app instances exactly one of them starts the run.
@Injectable()
export class ScheduleReconciliationsUseCase {
  constructor(
    private readonly runs: ReconciliationRepository,
    private readonly licences: LicenceHoldings,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<string[]> {
    const now = this.clock.now();
    const started: string[] = [];
    // Organizations that have licences recorded: the others have nothing to reconcile.
    for (const schedule of await this.runs.schedules(await this.licences.organizationsWithLicences())) {
      const { due, localDate } = isDue(now, schedule.timeZone, schedule.runAt, schedule.lastScheduledOn);
      // An organization seen for the first time has just been imported: its schedule starts with the next day.
      if (schedule.lastScheduledOn === null) {
        await this.transaction.run(() => this.runs.claimScheduledRun(schedule.organizationId, localDate));
        continue;
      }
      if (!due) continue;
      await this.transaction.run(async () => {
        if (!(await this.runs.claimScheduledRun(schedule.organizationId, localDate))) return;
        this.outbox.publish(
          integrationEvent<ReconciliationDuePayload>(RECONCILIATION_DUE, schedule.organizationId, { trigger: 'schedule', localDate }, now),
        );
        started.push(schedule.organizationId);
      });
    }
    return started;
  }
}
