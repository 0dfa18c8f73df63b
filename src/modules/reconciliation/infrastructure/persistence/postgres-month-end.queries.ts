import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { isMonth, MonthEndQueries, type MonthEndView } from '../../application/reconciliation-queries';

// The month-end snapshots: which run of each account a month kept, straight from SQL.
@Injectable()
export class PostgresMonthEndQueries extends MonthEndQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async monthEnds(organizationId: string): Promise<MonthEndView[]> {
    return this.monthEndViews(organizationId, null);
  }

  async monthEnd(organizationId: string, month: string): Promise<MonthEndView | null> {
    if (!isMonth(month)) return null;
    return (await this.monthEndViews(organizationId, month))[0] ?? null;
  }

  private async monthEndViews(organizationId: string, month: string | null): Promise<MonthEndView[]> {
    const rows = await rawSql<{ month: string; frozen_at: string; run_id: string; delegated_admin_id: string; finished_at: string }>(
      this.em,
      `select m.month, m.frozen_at, m.run_id, m.delegated_admin_id, r.finished_at
       from month_end_snapshots m join reconciliation_runs r on r.id = m.run_id and r.organization_id = m.organization_id
       where m.organization_id = ?${month ? ' and m.month = ?' : ''} order by m.month desc, r.finished_at, m.delegated_admin_id`,
      month ? [organizationId, month] : [organizationId],
    );
    const views = new Map<string, MonthEndView>();
    for (const row of rows) {
      const frozenAt = sqlTime(row.frozen_at);
      const view = views.get(row.month) ?? { month: row.month, frozenAt, runs: [] };
      if (frozenAt > view.frozenAt) view.frozenAt = frozenAt;
      view.runs.push({ runId: row.run_id, delegatedAdminId: row.delegated_admin_id, finishedAt: sqlTime(row.finished_at) });
      views.set(row.month, view);
    }
    return [...views.values()];
  }
}
