import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { likeContaining, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import type { KeysetPage } from '../../../licensing';
import {
  DiscrepancyQueries,
  type DiscrepanciesView,
  type DiscrepancyQuery,
  type DiscrepancyView,
} from '../../application/reconciliation-queries';
import { DISCREPANCY_KINDS, type DiscrepancyKind, type DiscrepancySeverity } from '../../domain';
import { keysetPage } from './keyset-page';
import { LATEST_RUNS } from './reconciliation-sql';

interface DiscrepancyRow {
  run_id: string;
  key: string;
  kind: DiscrepancyKind;
  tenant_id: string;
  company_name: string | null;
  sku_id: string | null;
  subscription_id: string | null;
  severity: DiscrepancySeverity;
  title: string;
  explanation: string;
  action: string;
  act_by: string | null;
  figures: Record<string, number>;
  silenced_by: string | null;
  silenced_reason: string | null;
}

// Kinds in the domain's reading order; the list is a constant, never user input.
export const DISCREPANCY_KIND_RANK = `case d.kind ${DISCREPANCY_KINDS.map((kind, i) => `when '${kind}' then ${i}`).join(' ')} else ${DISCREPANCY_KINDS.length} end`;
const SEVERITY_ORDER = `case d.severity when 'high' then 0 when 'medium' then 1 else 2 end`;

// A discrepancy (with its tenant's name in that run) and the exclusion that silenced it, if any. An exclusion
// removed since the run still silenced it then: its reason is gone (null), the fact is not.
const DISCREPANCY_COLUMNS = `d.run_id, d.key, d.kind, d.tenant_id, d.company_name, d.sku_id, d.subscription_id, d.severity, d.title, d.explanation, d.action, d.act_by, d.figures,
  d.silenced_by, e.reason as silenced_reason`;
const EXCLUSION_JOIN = `left join licensing_exclusions e on e.id = d.silenced_by and e.organization_id = d.organization_id`;
// The reading order: kinds, severity, act-by date, tenant name. Index discrepancies_open_order (migration
// Migration20261211000000_discrepancy_order) holds the open ones of a run in this order up to the name, expressions
// included: they must stay the same text as there.
export const DISCREPANCY_READING_ORDER = `${DISCREPANCY_KIND_RANK}, ${SEVERITY_ORDER}, d.act_by asc nulls last, lower(d.company_name), d.tenant_id, d.key`;

const DEFAULT_DISCREPANCY_LIMIT = 200;

// What is wrong now: the discrepancies of the latest runs, straight from SQL.
@Injectable()
export class PostgresDiscrepancyQueries extends DiscrepancyQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async latestDiscrepancies(organizationId: string, query: DiscrepancyQuery = {}): Promise<DiscrepanciesView> {
    if (query.tenantId !== undefined && !isGuid(query.tenantId)) return { items: [], total: 0, countsByKind: [], silenced: 0 };
    // The tenant filters, shared by the items and the counts.
    const tenantWhere: string[] = [];
    const tenantParams: unknown[] = [];
    if (query.tenantId) {
      tenantWhere.push('d.tenant_id = ?');
      tenantParams.push(query.tenantId.toLowerCase());
    }
    const text = query.tenant?.trim();
    if (text) {
      if (isGuid(text)) {
        tenantWhere.push('d.tenant_id = ?');
        tenantParams.push(text.toLowerCase());
      } else {
        tenantWhere.push('d.company_name ilike ?');
        tenantParams.push(likeContaining(text));
      }
    }
    const tenantFilter = tenantWhere.map((w) => ` and ${w}`).join('');

    // Counted from a narrow index (run, kind); the page's items come from the ordered index, each latest run's first
    // `limit` rows, then merged: neither reads every discrepancy of the run.
    const counts = await rawSql<{ kind: DiscrepancyKind; open: number; silenced: number }>(
      this.em,
      `with ${LATEST_RUNS} select d.kind, (count(*) filter (where d.silenced_by is null))::int as open, (count(*) filter (where d.silenced_by is not null))::int as silenced
       from discrepancies d join latest on latest.id = d.run_id where d.organization_id = ?${tenantFilter} group by d.kind`,
      [organizationId, organizationId, ...tenantParams],
    );
    const itemWhere: string[] = [];
    const itemParams: unknown[] = [];
    if (query.kind) {
      // Also as the index's kind rank, so the ordered index starts at the kind's first row.
      itemWhere.push('d.kind = ?', `${DISCREPANCY_KIND_RANK} = ?`);
      itemParams.push(query.kind, DISCREPANCY_KINDS.indexOf(query.kind));
    }
    if (!query.includeSilenced) itemWhere.push('d.silenced_by is null');
    const limit = query.limit ?? DEFAULT_DISCREPANCY_LIMIT;
    const rows = await rawSql<DiscrepancyRow>(
      this.em,
      `with ${LATEST_RUNS}
       select ${DISCREPANCY_COLUMNS}
       from latest cross join lateral (
         select * from discrepancies d where d.run_id = latest.id and d.organization_id = ?${tenantFilter}${itemWhere.map((w) => ` and ${w}`).join('')}
         order by ${DISCREPANCY_READING_ORDER} limit ?) d
       ${EXCLUSION_JOIN}
       order by ${DISCREPANCY_READING_ORDER}
       limit ?`,
      [organizationId, organizationId, ...tenantParams, ...itemParams, limit, limit],
    );
    const byKind = new Map(counts.map((c) => [c.kind, c]));
    const matching = counts.filter((c) => !query.kind || c.kind === query.kind);
    return {
      items: rows.map(toDiscrepancyView),
      total: matching.reduce((sum, c) => sum + c.open + (query.includeSilenced ? c.silenced : 0), 0),
      countsByKind: DISCREPANCY_KINDS.flatMap((kind) =>
        (byKind.get(kind)?.open ?? 0) > 0 ? [{ kind, count: byKind.get(kind)!.open }] : [],
      ),
      silenced: counts.reduce((sum, c) => sum + c.silenced, 0),
    };
  }

  async discrepancyPage(
    organizationId: string,
    query: Pick<DiscrepancyQuery, 'kind' | 'tenantId' | 'includeSilenced'>,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<DiscrepancyView>> {
    const where = ['d.organization_id = ?'];
    const params: unknown[] = [organizationId, organizationId];
    if (query.tenantId) {
      where.push('d.tenant_id = ?');
      params.push(query.tenantId.toLowerCase());
    }
    if (query.kind) {
      where.push('d.kind = ?');
      params.push(query.kind);
    }
    if (!query.includeSilenced) where.push('d.silenced_by is null');
    if (after) {
      where.push('(d.key, d.run_id) > (?, ?::uuid)');
      params.push(...after);
    }
    const rows = await rawSql<DiscrepancyRow>(
      this.em,
      `with ${LATEST_RUNS} select ${DISCREPANCY_COLUMNS} from discrepancies d join latest on latest.id = d.run_id ${EXCLUSION_JOIN}
       where ${where.join(' and ')} order by d.key, d.run_id limit ?`,
      [...params, limit + 1],
    );
    return keysetPage(rows, limit, toDiscrepancyView, (row) => [row.key, row.run_id]);
  }
}

function toDiscrepancyView(row: DiscrepancyRow): DiscrepancyView {
  return {
    runId: row.run_id,
    key: row.key,
    kind: row.kind,
    tenantId: row.tenant_id,
    companyName: row.company_name ?? row.tenant_id,
    skuId: row.sku_id,
    subscriptionId: row.subscription_id,
    severity: row.severity,
    title: row.title,
    explanation: row.explanation,
    action: row.action,
    actBy: sqlTime(row.act_by),
    figures: row.figures ?? {},
    silencedBy: row.silenced_by ? { exclusionId: row.silenced_by, reason: row.silenced_reason } : null,
  };
}
