import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { ExclusionsRepository, type StoredExclusion } from '../../application/ports/exclusions.repository';
import type { Exclusion, ExclusionRule } from '../../domain';

interface ExclusionRow {
  id: string;
  tenant_id: string | null;
  sku_id: string | null;
  rule: ExclusionRule;
  spare: number | null;
  reason: string;
  created_at: string;
  created_by_name: string;
}

@Injectable()
export class PostgresExclusionsRepository extends ExclusionsRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async list(organizationId: string): Promise<Exclusion[]> {
    const rows = await rawSql<ExclusionRow>(
      this.em,
      'select * from licensing_exclusions where organization_id = ? order by created_at, id',
      [organizationId],
    );
    return rows.map((row) => toExclusion(row));
  }

  async find(organizationId: string, id: string): Promise<StoredExclusion | null> {
    if (!isGuid(id)) return null;
    const [row] = await rawSql<ExclusionRow>(this.em, 'select * from licensing_exclusions where organization_id = ? and id = ?', [
      organizationId,
      id.toLowerCase(),
    ]);
    return row ? { ...toExclusion(row), createdAt: sqlTime(row.created_at), createdByName: row.created_by_name } : null;
  }

  async add(organizationId: string, exclusion: StoredExclusion): Promise<void> {
    await rawSql(
      this.em,
      `insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        exclusion.id,
        organizationId,
        exclusion.tenantId,
        exclusion.skuId,
        exclusion.rule,
        exclusion.spare,
        exclusion.reason,
        exclusion.createdAt,
        exclusion.createdByName,
      ],
    );
  }

  async remove(organizationId: string, id: string): Promise<boolean> {
    if (!isGuid(id)) return false;
    const deleted = await rawSql<{ id: string }>(
      this.em,
      'delete from licensing_exclusions where organization_id = ? and id = ? returning id',
      [organizationId, id.toLowerCase()],
    );
    return deleted.length > 0;
  }

  async saveSchedule(organizationId: string, schedule: { timeZone: string; runAt: string }): Promise<void> {
    // last_scheduled_on is the scheduler's claim on a local date: a new time does not make today's run due twice.
    await rawSql(
      this.em,
      `insert into reconciliation_schedules (organization_id, time_zone, run_at) values (?, ?, ?)
       on conflict (organization_id) do update set time_zone = excluded.time_zone, run_at = excluded.run_at`,
      [organizationId, schedule.timeZone, schedule.runAt],
    );
  }
}

function toExclusion(row: ExclusionRow): Exclusion {
  return { id: row.id, tenantId: row.tenant_id, skuId: row.sku_id, rule: row.rule, spare: row.spare, reason: row.reason };
}
