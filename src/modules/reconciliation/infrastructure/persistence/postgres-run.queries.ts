import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import type { KeysetPage } from '../../../licensing';
import {
  DEFAULT_SCHEDULE,
  RunQueries,
  type ReconciliationRunView,
  type ReconciliationScheduleView,
} from '../../application/reconciliation-queries';
import { keysetPage } from './keyset-page';
import { exactTime, LATEST_RUNS } from './reconciliation-sql';

interface RunRow {
  id: string;
  delegated_admin_id: string;
  trigger: string;
  started_at: string;
  finished_at: string;
  tenants_read: number;
  tenants_failed: number;
  changes: number;
  open_discrepancies: number;
  silenced: number;
  error: string | null;
}

const RUN_COLUMNS = `r.id, r.delegated_admin_id, r.trigger, r.started_at, r.finished_at, r.tenants_read, r.tenants_failed, r.changes, r.open_discrepancies, r.error,
  (select count(*) from discrepancies d where d.run_id = r.id and d.organization_id = r.organization_id and d.silenced_by is not null)::int as silenced`;

// The runs, and the schedule they follow, straight from SQL.
@Injectable()
export class PostgresRunQueries extends RunQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async latestRuns(organizationId: string): Promise<ReconciliationRunView[]> {
    const rows = await rawSql<RunRow>(
      this.em,
      `with ${LATEST_RUNS} select ${RUN_COLUMNS} from reconciliation_runs r join latest on latest.id = r.id where r.organization_id = ? order by r.finished_at desc, r.id desc`,
      [organizationId, organizationId],
    );
    return rows.map(toRunView);
  }

  async runs(organizationId: string, limit: number): Promise<ReconciliationRunView[]> {
    const rows = await rawSql<RunRow>(
      this.em,
      `select ${RUN_COLUMNS} from reconciliation_runs r where r.organization_id = ? order by r.finished_at desc, r.id desc limit ?`,
      [organizationId, limit],
    );
    return rows.map(toRunView);
  }

  async run(organizationId: string, runId: string): Promise<ReconciliationRunView | null> {
    if (!isGuid(runId)) return null;
    const [row] = await rawSql<RunRow>(
      this.em,
      `select ${RUN_COLUMNS} from reconciliation_runs r where r.organization_id = ? and r.id = ?`,
      [organizationId, runId.toLowerCase()],
    );
    return row ? toRunView(row) : null;
  }

  async runPage(organizationId: string, after: readonly string[] | null, limit: number): Promise<KeysetPage<ReconciliationRunView>> {
    // One row more than asked tells whether another page follows.
    const rows = await rawSql<RunRow & { finished_key: string }>(
      this.em,
      `select ${RUN_COLUMNS}, ${exactTime('r.finished_at')} as finished_key from reconciliation_runs r
       where r.organization_id = ?${after ? ' and (r.finished_at, r.id) < (?::timestamptz, ?::uuid)' : ''}
       order by r.finished_at desc, r.id desc limit ?`,
      [organizationId, ...(after ?? []), limit + 1],
    );
    return keysetPage(rows, limit, toRunView, (row) => [row.finished_key, row.id]);
  }

  async schedule(organizationId: string): Promise<ReconciliationScheduleView> {
    const [row] = await rawSql<{ time_zone: string; run_at: string }>(
      this.em,
      'select time_zone, run_at from reconciliation_schedules where organization_id = ?',
      [organizationId],
    );
    return row ? { timeZone: row.time_zone, runAt: row.run_at } : { ...DEFAULT_SCHEDULE };
  }
}

function toRunView(row: RunRow): ReconciliationRunView {
  const startedAt = sqlTime(row.started_at);
  const finishedAt = sqlTime(row.finished_at);
  return {
    id: row.id,
    delegatedAdminId: row.delegated_admin_id,
    trigger: row.trigger,
    startedAt,
    finishedAt,
    durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
    tenantsRead: row.tenants_read,
    tenantsFailed: row.tenants_failed,
    changes: row.changes,
    openDiscrepancies: row.open_discrepancies,
    silencedDiscrepancies: row.silenced,
    error: row.error,
  };
}
