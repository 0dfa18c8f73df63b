import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import type { KeysetPage } from '../../../licensing';
import {
  isMonth,
  SnapshotQueries,
  type LicenceSnapshotRow,
  type ProductView,
  type ReconciliationTenantView,
  type SnapshotScope,
  type SubscriptionSnapshotRow,
  type TenantHistoryPoint,
} from '../../application/reconciliation-queries';
import { skuName } from '../../domain';
import { keysetPage } from './keyset-page';
import { LATEST_RUNS, toProductView } from './reconciliation-sql';

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

const CSV_BATCH = 1000;

// What the runs saw: a tenant and its seat history, the snapshot rows of a run or month end (the CSV exports and
// the API), a product by its SKU. Straight from SQL.
@Injectable()
export class PostgresSnapshotQueries extends SnapshotQueries {
  // Rows per batch of `licenceRows` / `subscriptionRows`.
  batchSize = CSV_BATCH;

  constructor(private readonly em: EntityManager) {
    super();
  }

  async tenant(organizationId: string, tenantId: string): Promise<ReconciliationTenantView | null> {
    if (!isGuid(tenantId)) return null;
    const [row] = await rawSql<{
      tenant_id: string;
      company_name: string;
      read: boolean;
      failure_reason: string | null;
      licences_unreadable: string | null;
      run_id: string;
      finished_at: string;
    }>(
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
    const rows = await rawSql<
      { run_id: string; finished_at: string; read: boolean } & Partial<
        Pick<LicenceRow, 'sku_id' | 'sku_part_number' | 'product_name' | 'free' | 'purchased' | 'assigned'>
      >
    >(
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
      const sku = {
        skuId: row.sku_id,
        skuPartNumber: row.sku_part_number ?? '',
        productName: skuName({ productName: row.product_name ?? '', skuPartNumber: row.sku_part_number ?? '' }),
        free: row.free ?? false,
        purchased: row.purchased ?? 0,
        assigned: row.assigned ?? 0,
      };
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

  async licenceRowPage(
    organizationId: string,
    scope: SnapshotScope,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicenceSnapshotRow>> {
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
      const keyset: string = after
        ? ' and (t.company_name, s.tenant_id, s.offer_name, s.subscription_id, s.run_id) > (?, ?::uuid, ?, ?, ?::uuid)'
        : '';
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
