import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import type { KeysetPage } from '../../../licensing';
import { ChangeQueries, type ChangeFeedQuery, type LicensingChangeView } from '../../application/reconciliation-queries';
import { CHANGE_KINDS, type LicensingChangeKind } from '../../domain';
import { keysetPage } from './keyset-page';
import { exactTime, LATEST_TENANT_NAME } from './reconciliation-sql';

interface ChangeRow {
  id: string;
  run_id: string;
  kind: LicensingChangeKind;
  tenant_id: string;
  company_name: string | null;
  sku_id: string | null;
  subscription_id: string | null;
  before: string | null;
  after: string | null;
  delta: number | null;
  summary: string;
  occurred_at: string;
  occurred_key: string;
}

// Kinds in the domain's reading order; the list is a constant, never user input.
const CHANGE_ORDER = `case c.kind ${CHANGE_KINDS.map((kind, i) => `when '${kind}' then ${i}`).join(' ')} else ${CHANGE_KINDS.length} end`;

const CHANGE_COLUMNS = `c.id, c.run_id, c.kind, c.tenant_id, n.company_name, c.sku_id, c.subscription_id, c.before, c.after, c.delta, c.summary, c.occurred_at,
  ${exactTime('c.occurred_at')} as occurred_key`;
// A change names its tenant as the run saw it, else as the latest run that listed it did.
const CHANGE_FROM = `from licensing_changes c
  left join reconciliation_tenants t on t.run_id = c.run_id and t.tenant_id = c.tenant_id
  left join lateral (select coalesce(t.company_name, ${LATEST_TENANT_NAME('c.organization_id', 'c.tenant_id')}) as company_name) n on true`;

// What changed since the previous runs, straight from SQL.
@Injectable()
export class PostgresChangeQueries extends ChangeQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async recentChanges(organizationId: string, limit: number): Promise<LicensingChangeView[]> {
    return this.changes(organizationId, null, limit);
  }

  async tenantChanges(organizationId: string, tenantId: string, limit: number): Promise<LicensingChangeView[]> {
    if (!isGuid(tenantId)) return [];
    return this.changes(organizationId, tenantId.toLowerCase(), limit);
  }

  private async changes(organizationId: string, tenantId: string | null, limit: number): Promise<LicensingChangeView[]> {
    const rows = await rawSql<ChangeRow>(
      this.em,
      `select ${CHANGE_COLUMNS} ${CHANGE_FROM}
       where c.organization_id = ?${tenantId ? ' and c.tenant_id = ?' : ''}
       order by c.occurred_at desc, lower(n.company_name), c.tenant_id, ${CHANGE_ORDER}, c.sku_id nulls first, c.subscription_id nulls first, c.id
       limit ?`,
      tenantId ? [organizationId, tenantId, limit] : [organizationId, limit],
    );
    return rows.map(toChangeView);
  }

  async changePage(
    organizationId: string,
    query: ChangeFeedQuery,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicensingChangeView>> {
    const where = ['c.organization_id = ?'];
    const params: unknown[] = [organizationId];
    if (query.since) {
      where.push('c.occurred_at >= ?');
      params.push(query.since);
    }
    if (query.runId) {
      where.push('c.run_id = ?');
      params.push(query.runId.toLowerCase());
    }
    if (query.tenantId) {
      where.push('c.tenant_id = ?');
      params.push(query.tenantId.toLowerCase());
    }
    if (query.kind) {
      where.push('c.kind = ?');
      params.push(query.kind);
    }
    if (after) {
      where.push('(c.occurred_at, c.id) > (?::timestamptz, ?::uuid)');
      params.push(...after);
    }
    const rows = await rawSql<ChangeRow>(
      this.em,
      `select ${CHANGE_COLUMNS} ${CHANGE_FROM} where ${where.join(' and ')} order by c.occurred_at, c.id limit ?`,
      [...params, limit + 1],
    );
    return keysetPage(rows, limit, toChangeView, (row) => [row.occurred_key, row.id]);
  }
}

function toChangeView(row: ChangeRow): LicensingChangeView {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    tenantId: row.tenant_id,
    companyName: row.company_name ?? row.tenant_id,
    skuId: row.sku_id,
    subscriptionId: row.subscription_id,
    before: row.before,
    after: row.after,
    delta: row.delta,
    summary: row.summary,
    occurredAt: sqlTime(row.occurred_at),
  };
}
