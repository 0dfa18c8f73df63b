import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { assertTimeZone, InvalidRunTimeError } from '../domain';
import { ExclusionsRepository } from './ports/exclusions.repository';
import { RunQueries } from './reconciliation-queries';

const RUN_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

// Sets when the daily reconciliation runs: a time of day on the organization's wall clock, in its IANA time
// zone. Returns false when nothing changed (nothing audit logged twice).
@Injectable()
export class UpdateReconciliationScheduleUseCase {
  constructor(
    private readonly settings: ExclusionsRepository,
    private readonly queries: RunQueries,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  async execute(input: { actor: Actor; timeZone: string; runAt: string }): Promise<boolean> {
    const { actor } = input;
    const timeZone = input.timeZone.trim();
    assertTimeZone(timeZone);
    const runAt = normalizedRunTime(input.runAt);
    const current = await this.queries.schedule(actor.organizationId);
    if (current.timeZone === timeZone && current.runAt === runAt) return false;
    return this.transaction.run(async () => {
      await this.settings.saveSchedule(actor.organizationId, { timeZone, runAt });
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'licensing.schedule-changed',
        subject: 'Daily licensing reconciliation',
        outcome: 'success',
        detail: `Runs every day at ${runAt} (${timeZone}); was ${current.runAt} (${current.timeZone}).`,
      });
      return true;
    });
  }
}

// 'HH:mm' on a 24-hour clock; '7:30' is read as '07:30'.
function normalizedRunTime(value: string): string {
  const match = RUN_TIME.exec(value.trim());
  if (!match) throw new InvalidRunTimeError(value.trim());
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}
