import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { likeContaining, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import {
  DEFAULT_SCHEDULE,
  isMonth,
  ReconciliationQueries,
  type ChangeFeedQuery,
  type DiscrepanciesView,
  type DiscrepancyQuery,
  type DiscrepancyView,
  type ExclusionChoicesView,
  type ExclusionView,
  type LicenceSnapshotRow,
  type LicensingChangeView,
  type MonthEndView,
  type ProductView,
  type ReconciliationRunView,
  type ReconciliationScheduleView,
  type ReconciliationTenantView,
  type SnapshotScope,
  type SubscriptionSnapshotRow,
  type TenantHistoryPoint,
} from '../../application/reconciliation-queries';
import type { KeysetPage } from '../../../licensing';
import { catalogueName } from '../../../licensing';
import { CHANGE_KINDS, DISCREPANCY_KINDS, skuName, type DiscrepancyKind, type DiscrepancySeverity, type ExclusionRule, type LicensingChangeKind } from '../../domain';
import { keysetPage } from './keyset-page';

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

interface LicenceRow {
  run_id: string;
  finished_at: string;
  tenant_id: string;
  company_name: string;
  read: boolean;
  sku_id: string;
  sku_part_number: string;
  product_name: string;
  purchased: number;
  assigned: number;
  available: number;
  suspended: number;
  warning: number;
  partner_center_quantity: number | null;
  sold_by_you: boolean | null;
  free: boolean;
}

interface SubscriptionRow {
  run_id: string;
  finished_at: string;
  tenant_id: string;
  company_name: string;
  subscription_id: string;
  sku_id: string | null;
  offer_name: string;
  quantity: number;
  tenant_units: number | null;
  billing_cycle: string;
  term_duration: string | null;
  status: string;
  auto_renew_enabled: boolean;
  is_trial: boolean;
  commitment_end_date: string | null;
  cancellation_allowed_until_date: string | null;
}

interface ExclusionRow {
  id: string;
  tenant_id: string | null;
  sku_id: string | null;
  rule: ExclusionRule;
  spare: number | null;
  reason: string;
  created_at: string;
  created_by_name: string;
  company_name: string | null;
  product_name: string | null;
  sku_part_number: string | null;
  silencing: number;
}

const RUN_COLUMNS = `r.id, r.delegated_admin_id, r.trigger, r.started_at, r.finished_at, r.tenants_read, r.tenants_failed, r.changes, r.open_discrepancies, r.error,
  (select count(*) from discrepancies d where d.run_id = r.id and d.organization_id = r.organization_id and d.silenced_by is not null)::int as silenced`;

// The latest run of each delegated admin of the organization (the first placeholder): what "now" is.
const LATEST_RUNS = `latest as (
  select distinct on (delegated_admin_id) id from reconciliation_runs where organization_id = ? order by delegated_admin_id, finished_at desc, id desc)`;

// Kinds in the domain's reading order; the lists are constants, never user input.
const DISCREPANCY_ORDER = `case d.kind ${DISCREPANCY_KINDS.map((kind, i) => `when '${kind}' then ${i}`).join(' ')} else ${DISCREPANCY_KINDS.length} end`;
const CHANGE_ORDER = `case c.kind ${CHANGE_KINDS.map((kind, i) => `when '${kind}' then ${i}`).join(' ')} else ${CHANGE_KINDS.length} end`;
const SEVERITY_ORDER = `case d.severity when 'high' then 0 when 'medium' then 1 else 2 end`;

// The name a tenant had in the latest run that listed it (a removed tenant is not in the run that says so).
const LATEST_TENANT_NAME = (organization: string, tenant: string) => `(select rt.company_name from reconciliation_tenants rt join reconciliation_runs rr on rr.id = rt.run_id
  where rt.organization_id = ${organization} and rt.tenant_id = ${tenant} order by rr.finished_at desc, rr.id desc limit 1)`;

// A discrepancy with its tenant's name in that run and the exclusion that silenced it, if any. An exclusion
// removed since the run still silenced it then: its reason is gone (null), the fact is not.
const DISCREPANCY_COLUMNS = `d.run_id, d.key, d.kind, d.tenant_id, t.company_name, d.sku_id, d.subscription_id, d.severity, d.title, d.explanation, d.action, d.act_by, d.figures,
  d.silenced_by, e.reason as silenced_reason`;
const DISCREPANCY_FROM = `from discrepancies d join latest on latest.id = d.run_id
  left join licensing_exclusions e on e.id = d.silenced_by and e.organization_id = d.organization_id
  left join reconciliation_tenants t on t.run_id = d.run_id and t.tenant_id = d.tenant_id`;

// A timestamp as exact text (microseconds, UTC) for keyset cursors: a JS Date would drop the microseconds.
const exactTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const CHANGE_COLUMNS = `c.id, c.run_id, c.kind, c.tenant_id, n.company_name, c.sku_id, c.subscription_id, c.before, c.after, c.delta, c.summary, c.occurred_at,
  ${exactTime('c.occurred_at')} as occurred_key`;
// A change names its tenant as the run saw it, else as the latest run that listed it did.
const CHANGE_FROM = `from licensing_changes c
  left join reconciliation_tenants t on t.run_id = c.run_id and t.tenant_id = c.tenant_id
  left join lateral (select coalesce(t.company_name, ${LATEST_TENANT_NAME('c.organization_id', 'c.tenant_id')}) as company_name) n on true`;

const DEFAULT_DISCREPANCY_LIMIT = 200;
const CSV_BATCH = 1000;

// Read models straight from SQL: the Licensing tab and its CSV exports only look.
@Injectable()
export class PostgresReconciliationQueries extends ReconciliationQueries {
  // Rows per batch of `licenceRows` / `subscriptionRows`.
  batchSize = CSV_BATCH;

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
    const rows = await rawSql<RunRow>(this.em, `select ${RUN_COLUMNS} from reconciliation_runs r where r.organization_id = ? order by r.finished_at desc, r.id desc limit ?`, [organizationId, limit]);
    return rows.map(toRunView);
  }

  async run(organizationId: string, runId: string): Promise<ReconciliationRunView | null> {
    if (!isGuid(runId)) return null;
    const [row] = await rawSql<RunRow>(this.em, `select ${RUN_COLUMNS} from reconciliation_runs r where r.organization_id = ? and r.id = ?`, [organizationId, runId.toLowerCase()]);
    return row ? toRunView(row) : null;
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
        tenantWhere.push(`t.company_name ilike ?`);
        tenantParams.push(likeContaining(text));
      }
    }
    const from = `${DISCREPANCY_FROM} where d.organization_id = ?${tenantWhere.map((w) => ` and ${w}`).join('')}`;

    const counts = await rawSql<{ kind: DiscrepancyKind; open: number; silenced: number }>(
      this.em,
      `with ${LATEST_RUNS} select d.kind, (count(*) filter (where d.silenced_by is null))::int as open, (count(*) filter (where d.silenced_by is not null))::int as silenced ${from} group by d.kind`,
      [organizationId, organizationId, ...tenantParams],
    );
    const itemWhere: string[] = [];
    const itemParams: unknown[] = [];
    if (query.kind) {
      itemWhere.push('d.kind = ?');
      itemParams.push(query.kind);
    }
    if (!query.includeSilenced) itemWhere.push('d.silenced_by is null');
    const rows = await rawSql<DiscrepancyRow>(
      this.em,
      `with ${LATEST_RUNS}
       select ${DISCREPANCY_COLUMNS}
       ${from}${itemWhere.map((w) => ` and ${w}`).join('')}
       order by ${DISCREPANCY_ORDER}, ${SEVERITY_ORDER}, d.act_by asc nulls last, lower(t.company_name), d.tenant_id, d.key
       limit ?`,
      [organizationId, organizationId, ...tenantParams, ...itemParams, query.limit ?? DEFAULT_DISCREPANCY_LIMIT],
    );
    const byKind = new Map(counts.map((c) => [c.kind, c]));
    const matching = counts.filter((c) => !query.kind || c.kind === query.kind);
    return {
      items: rows.map(toDiscrepancyView),
      total: matching.reduce((sum, c) => sum + c.open + (query.includeSilenced ? c.silenced : 0), 0),
      countsByKind: DISCREPANCY_KINDS.flatMap((kind) => ((byKind.get(kind)?.open ?? 0) > 0 ? [{ kind, count: byKind.get(kind)!.open }] : [])),
      silenced: counts.reduce((sum, c) => sum + c.silenced, 0),
    };
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

  async changePage(organizationId: string, query: ChangeFeedQuery, after: readonly string[] | null, limit: number): Promise<KeysetPage<LicensingChangeView>> {
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
    const rows = await rawSql<ChangeRow>(this.em, `select ${CHANGE_COLUMNS} ${CHANGE_FROM} where ${where.join(' and ')} order by c.occurred_at, c.id limit ?`, [...params, limit + 1]);
    return keysetPage(rows, limit, toChangeView, (row) => [row.occurred_key, row.id]);
  }

  async discrepancyPage(organizationId: string, query: Pick<DiscrepancyQuery, 'kind' | 'tenantId' | 'includeSilenced'>, after: readonly string[] | null, limit: number): Promise<KeysetPage<DiscrepancyView>> {
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
      `with ${LATEST_RUNS} select ${DISCREPANCY_COLUMNS} ${DISCREPANCY_FROM} where ${where.join(' and ')} order by d.key, d.run_id limit ?`,
      [...params, limit + 1],
    );
    return keysetPage(rows, limit, toDiscrepancyView, (row) => [row.key, row.run_id]);
  }

  async tenant(organizationId: string, tenantId: string): Promise<ReconciliationTenantView | null> {
    if (!isGuid(tenantId)) return null;
    const [row] = await rawSql<{ tenant_id: string; company_name: string; read: boolean; failure_reason: string | null; licences_unreadable: string | null; run_id: string; finished_at: string }>(
      this.em,
      `select rt.tenant_id, rt.company_name, rt.read, rt.failure_reason, rt.licences_unreadable, r.id as run_id, r.finished_at
       from reconciliation_tenants rt join reconciliation_runs r on r.id = rt.run_id and r.organization_id = rt.organization_id
       where rt.organization_id = ? and rt.tenant_id = ? order by r.finished_at desc, r.id desc limit 1`,
      [organizationId, tenantId.toLowerCase()],
    );
    return row
      ? {
          tenantId: row.tenant_id,
          companyName: row.company_name,
          lastRunId: row.run_id,
          lastRunAt: sqlTime(row.finished_at),
          read: row.read,
          failureReason: row.failure_reason,
          licencesUnreadable: row.licences_unreadable,
        }
      : null;
  }

  async tenantHistory(organizationId: string, tenantId: string, limit: number): Promise<TenantHistoryPoint[]> {
    if (!isGuid(tenantId)) return [];
    const tenant = tenantId.toLowerCase();
    const rows = await rawSql<{ run_id: string; finished_at: string; read: boolean } & Partial<Pick<LicenceRow, 'sku_id' | 'sku_part_number' | 'product_name' | 'free' | 'purchased' | 'assigned'>>>(
      this.em,
      `with runs as (
         select r.id, r.finished_at, rt.read from reconciliation_tenants rt join reconciliation_runs r on r.id = rt.run_id and r.organization_id = rt.organization_id
         -- A run that could not list the tenant's licences (no licence-reading GDAP role) knows no seat counts: no point,
         -- rather than a drop to zero.
         where rt.organization_id = ? and rt.tenant_id = ? and rt.licences_unreadable is null order by r.finished_at desc, r.id desc limit ?)
       select runs.id as run_id, runs.finished_at, runs.read, l.sku_id, l.sku_part_number, l.product_name, l.free, l.purchased, l.assigned
       from runs left join licence_snapshots l on l.run_id = runs.id and l.organization_id = ? and l.tenant_id = ?
       order by runs.finished_at, runs.id, l.product_name, l.sku_id`,
      [organizationId, tenant, limit, organizationId, tenant],
    );
    const points = new Map<string, TenantHistoryPoint>();
    for (const row of rows) {
      let point = points.get(row.run_id);
      if (!point) {
        point = { runId: row.run_id, at: sqlTime(row.finished_at), read: row.read, purchased: 0, assigned: 0, skus: [] };
        points.set(row.run_id, point);
      }
      if (!row.sku_id) continue;
      const sku = { skuId: row.sku_id, skuPartNumber: row.sku_part_number ?? '', productName: skuName({ productName: row.product_name ?? '', skuPartNumber: row.sku_part_number ?? '' }), free: row.free ?? false, purchased: row.purchased ?? 0, assigned: row.assigned ?? 0 };
      point.skus.push(sku);
      // Free SKUs come with thousands of seats nobody bills (Microsoft Fabric (Free)): totals count paid products.
      if (!sku.free) {
        point.purchased += sku.purchased;
        point.assigned += sku.assigned;
      }
    }
    return [...points.values()];
  }

  async *licenceRows(organizationId: string, scope: SnapshotScope): AsyncIterable<LicenceSnapshotRow[]> {
    let after: readonly string[] | null = null;
    for (;;) {
      const page: KeysetPage<LicenceSnapshotRow> = await this.licenceRowPage(organizationId, scope, after, this.batchSize);
      if (page.items.length > 0) yield page.items;
      if (!page.next) return;
      after = page.next;
    }
  }

  async licenceRowPage(organizationId: string, scope: SnapshotScope, after: readonly string[] | null, limit: number): Promise<KeysetPage<LicenceSnapshotRow>> {
    const where = scopeWhere(organizationId, scope, 'l');
    if (!where) return { items: [], next: null };
    // Keyset pages in the export's order (never OFFSET): company, tenant, product, SKU, run.
    const keyset = after ? ' and (t.company_name, l.tenant_id, l.product_name, l.sku_id, l.run_id) > (?, ?::uuid, ?, ?, ?::uuid)' : '';
    const rows = await rawSql<LicenceRow>(
      this.em,
      `select l.run_id, r.finished_at, l.tenant_id, t.company_name, t.read, l.sku_id, l.sku_part_number, l.product_name, l.purchased, l.assigned, l.available, l.suspended,
              l.warning, l.partner_center_quantity, l.sold_by_you, l.free
       from licence_snapshots l
       join reconciliation_runs r on r.id = l.run_id and r.organization_id = l.organization_id
       join reconciliation_tenants t on t.run_id = l.run_id and t.tenant_id = l.tenant_id
       where ${where.sql}${keyset}
       order by t.company_name, l.tenant_id, l.product_name, l.sku_id, l.run_id limit ?`,
      [...where.params, ...(after ?? []), limit + 1],
    );
    return keysetPage(rows, limit, toLicenceRow, (row) => [row.company_name, row.tenant_id, row.product_name, row.sku_id, row.run_id]);
  }

  async *subscriptionRows(organizationId: string, scope: SnapshotScope): AsyncIterable<SubscriptionSnapshotRow[]> {
    const where = scopeWhere(organizationId, scope, 's');
    if (!where) return;
    let after: unknown[] | null = null;
    for (;;) {
      const keyset: string = after ? ' and (t.company_name, s.tenant_id, s.offer_name, s.subscription_id, s.run_id) > (?, ?::uuid, ?, ?, ?::uuid)' : '';
      const rows: SubscriptionRow[] = await rawSql<SubscriptionRow>(
        this.em,
        `select s.run_id, r.finished_at, s.tenant_id, t.company_name, s.subscription_id, s.sku_id, s.offer_name, s.quantity, s.tenant_units, s.billing_cycle, s.term_duration,
                s.status, s.auto_renew_enabled, s.is_trial, s.commitment_end_date, s.cancellation_allowed_until_date
         from subscription_snapshots s
         join reconciliation_runs r on r.id = s.run_id and r.organization_id = s.organization_id
         join reconciliation_tenants t on t.run_id = s.run_id and t.tenant_id = s.tenant_id
         where ${where.sql}${keyset}
         order by t.company_name, s.tenant_id, s.offer_name, s.subscription_id, s.run_id limit ?`,
        [...where.params, ...(after ?? []), this.batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map(toSubscriptionRow);
      if (rows.length < this.batchSize) return;
      const last = rows[rows.length - 1];
      after = [last.company_name, last.tenant_id, last.offer_name, last.subscription_id, last.run_id];
    }
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

  async exclusions(organizationId: string): Promise<ExclusionView[]> {
    const rows = await rawSql<ExclusionRow>(
      this.em,
      `with ${LATEST_RUNS}
       select e.id, e.tenant_id, e.sku_id, e.rule, e.spare, e.reason, e.created_at, e.created_by_name,
              case when e.tenant_id is null then null else ${LATEST_TENANT_NAME('e.organization_id', 'e.tenant_id')} end as company_name,
              p.product_name, p.sku_part_number,
              (select count(*) from discrepancies d join latest on latest.id = d.run_id where d.organization_id = e.organization_id and d.silenced_by = e.id)::int as silencing
       from licensing_exclusions e
       left join lateral (select l.product_name, l.sku_part_number from licence_snapshots l join latest on latest.id = l.run_id
                          where l.organization_id = e.organization_id and lower(l.sku_id) = e.sku_id limit 1) p on true
       where e.organization_id = ?
       order by e.created_at desc, e.id`,
      [organizationId, organizationId],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      companyName: row.company_name,
      skuId: row.sku_id,
      productName: row.sku_id === null ? null : nameOfSku(row.sku_id, row.product_name, row.sku_part_number),
      rule: row.rule,
      spare: row.spare,
      reason: row.reason,
      createdAt: sqlTime(row.created_at),
      createdByName: row.created_by_name,
      silencing: row.silencing,
    }));
  }

  async exclusionChoices(organizationId: string): Promise<ExclusionChoicesView> {
    const tenants = await rawSql<{ tenant_id: string; company_name: string }>(
      this.em,
      `with ${LATEST_RUNS}
       select distinct on (lower(t.company_name), t.tenant_id) t.tenant_id, t.company_name from reconciliation_tenants t join latest on latest.id = t.run_id
       where t.organization_id = ? order by lower(t.company_name), t.tenant_id`,
      [organizationId, organizationId],
    );
    const products = await rawSql<{ sku_id: string; sku_part_number: string; product_name: string; free: boolean }>(
      this.em,
      `with ${LATEST_RUNS}
       select distinct on (lower(l.sku_id)) lower(l.sku_id) as sku_id, l.sku_part_number, l.product_name, l.free from licence_snapshots l join latest on latest.id = l.run_id
       where l.organization_id = ? order by lower(l.sku_id), l.product_name`,
      [organizationId, organizationId],
    );
    return {
      tenants: tenants.map((t) => ({ tenantId: t.tenant_id, companyName: t.company_name })),
      products: products.map(toProductView).sort((a, b) => a.productName.localeCompare(b.productName) || compare(a.skuId, b.skuId)),
    };
  }

  async product(organizationId: string, skuId: string): Promise<ProductView | null> {
    const [row] = await rawSql<{ sku_id: string; sku_part_number: string; product_name: string; free: boolean }>(
      this.em,
      `with ${LATEST_RUNS}
       select lower(l.sku_id) as sku_id, l.sku_part_number, l.product_name, l.free from licence_snapshots l join latest on latest.id = l.run_id
       where l.organization_id = ? and lower(l.sku_id) = ? limit 1`,
      [organizationId, organizationId, skuId.trim().toLowerCase()],
    );
    return row ? toProductView(row) : null;
  }

  async schedule(organizationId: string): Promise<ReconciliationScheduleView> {
    const [row] = await rawSql<{ time_zone: string; run_at: string }>(this.em, 'select time_zone, run_at from reconciliation_schedules where organization_id = ?', [organizationId]);
    return row ? { timeZone: row.time_zone, runAt: row.run_at } : { ...DEFAULT_SCHEDULE };
  }
}

// The rows of a run, or of the runs a month-end snapshot froze; optionally of one tenant. Null: names nothing.
function scopeWhere(organizationId: string, scope: SnapshotScope, alias: 'l' | 's'): { sql: string; params: unknown[] } | null {
  const sql: string[] = [`${alias}.organization_id = ?`];
  const params: unknown[] = [organizationId];
  if ('runId' in scope) {
    if (!isGuid(scope.runId)) return null;
    sql.push(`${alias}.run_id = ?`);
    params.push(scope.runId.toLowerCase());
  } else {
    if (!isMonth(scope.month)) return null;
    sql.push(`${alias}.run_id in (select m.run_id from month_end_snapshots m where m.organization_id = ? and m.month = ?)`);
    params.push(organizationId, scope.month);
  }
  if (scope.tenantId !== undefined) {
    if (!isGuid(scope.tenantId)) return null;
    sql.push(`${alias}.tenant_id = ?`);
    params.push(scope.tenantId.toLowerCase());
  }
  return { sql: sql.join(' and '), params };
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

function toLicenceRow(row: LicenceRow): LicenceSnapshotRow {
  return {
    runId: row.run_id,
    snapshotAt: sqlTime(row.finished_at),
    tenantId: row.tenant_id,
    companyName: row.company_name,
    tenantRead: row.read,
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    productName: skuName({ productName: row.product_name, skuPartNumber: row.sku_part_number }),
    purchased: row.purchased,
    assigned: row.assigned,
    available: row.available,
    suspended: row.suspended,
    warning: row.warning,
    partnerCenterQuantity: row.partner_center_quantity,
    soldByYou: row.sold_by_you,
    free: row.free,
  };
}

function toSubscriptionRow(row: SubscriptionRow): SubscriptionSnapshotRow {
  return {
    runId: row.run_id,
    snapshotAt: sqlTime(row.finished_at),
    tenantId: row.tenant_id,
    companyName: row.company_name,
    subscriptionId: row.subscription_id,
    skuId: row.sku_id,
    offerName: row.offer_name,
    quantity: row.quantity,
    tenantUnits: row.tenant_units,
    billingCycle: row.billing_cycle,
    termDuration: row.term_duration,
    status: row.status,
    autoRenewEnabled: row.auto_renew_enabled,
    isTrial: row.is_trial,
    commitmentEndDate: sqlTime(row.commitment_end_date),
    cancellationAllowedUntilDate: sqlTime(row.cancellation_allowed_until_date),
  };
}

function toProductView(row: { sku_id: string; sku_part_number: string; product_name: string; free: boolean }): ProductView {
  return { skuId: row.sku_id, skuPartNumber: row.sku_part_number, productName: skuName({ productName: row.product_name, skuPartNumber: row.sku_part_number }), free: row.free };
}

// A SKU no latest run holds (the tenants dropped it) is still named by the catalogue when it knows the id.
function nameOfSku(skuId: string, productName: string | null, skuPartNumber: string | null): string {
  if (productName !== null || skuPartNumber !== null) return skuName({ productName: productName ?? '', skuPartNumber: skuPartNumber ?? '' });
  return catalogueName({ skuId, skuPartNumber: '' }) ?? skuId;
}

// ILIKE's wildcards and escape character, taken literally.

// Code-point order, so equal names keep one order on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
