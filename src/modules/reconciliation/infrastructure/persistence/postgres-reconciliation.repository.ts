import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { boundSql, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import {
  ReconciliationRepository,
  type ReconciliationRunRecord,
  type RunTenant,
  type ScheduleRecord,
} from '../../application/ports/reconciliation.repository';
import {
  partnerCenterQuantity,
  type Discrepancy,
  type LicensingChange,
  type SilencedDiscrepancy,
  type SubscriptionPicture,
  type TenantPicture,
} from '../../domain';
import { groupBy } from '../../../../shared/domain/group-by';

// Tenants per statement when reading or writing a run (an organization can have thousands).
const BATCH = 500;

type Row = Record<string, unknown>;

@Injectable()
export class PostgresReconciliationRepository extends ReconciliationRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async lockOrganization(organizationId: string): Promise<void> {
    await rawSql(this.em, `select pg_advisory_xact_lock(hashtext('reconciliation:' || ?))`, [organizationId]);
  }

  async findByImportRun(organizationId: string, importRunId: string): Promise<ReconciliationRunRecord | null> {
    const [row] = await rawSql(this.em, 'select * from reconciliation_runs where organization_id = ? and import_run_id = ?', [
      organizationId,
      importRunId,
    ]);
    return row ? toRun(row) : null;
  }

  async previousRun(organizationId: string, delegatedAdminId: string): Promise<ReconciliationRunRecord | null> {
    const [row] = await rawSql(
      this.em,
      'select * from reconciliation_runs where organization_id = ? and delegated_admin_id = ? order by finished_at desc, id desc limit 1',
      [organizationId, delegatedAdminId],
    );
    return row ? toRun(row) : null;
  }

  async tenantsOfRun(organizationId: string, runId: string): Promise<RunTenant[]> {
    const rows = await rawSql<{ tenant_id: string; company_name: string }>(
      this.em,
      'select tenant_id, company_name from reconciliation_tenants where organization_id = ? and run_id = ?',
      [organizationId, runId],
    );
    return rows.map((row) => ({ tenantId: String(row.tenant_id), companyName: String(row.company_name) }));
  }

  async picturesOfRun(organizationId: string, runId: string, tenantIds?: readonly string[]): Promise<TenantPicture[]> {
    if (tenantIds?.length === 0) return [];
    const [ofTenants, params] = ofTheseTenants(organizationId, runId, tenantIds);
    const tenants = await rawSql(
      this.em,
      `select * from reconciliation_tenants where organization_id = ? and run_id = ?${ofTenants}`,
      params,
    );
    const skus = groupBy(
      await rawSql(this.em, `select * from licence_snapshots where organization_id = ? and run_id = ?${ofTenants}`, params),
      (row) => String(row.tenant_id),
    );
    const subscriptions = groupBy(
      await rawSql(this.em, `select * from subscription_snapshots where organization_id = ? and run_id = ?${ofTenants}`, params),
      (row) => String(row.tenant_id),
    );
    return tenants.map((tenant) => ({
      tenantId: String(tenant.tenant_id),
      companyName: String(tenant.company_name),
      read: Boolean(tenant.read),
      failureReason: (tenant.failure_reason as string | null) ?? null,
      licencesUnreadable: (tenant.licences_unreadable as string | null) ?? null,
      skus: (skus.get(String(tenant.tenant_id)) ?? []).map((row) => ({
        skuId: String(row.sku_id),
        skuPartNumber: String(row.sku_part_number),
        productName: String(row.product_name),
        purchased: Number(row.purchased),
        assigned: Number(row.assigned),
        available: Number(row.available),
        suspended: Number(row.suspended),
        warning: Number(row.warning),
        lockedOut: Number(row.locked_out ?? 0),
        soldByYou: (row.sold_by_you as boolean | null) ?? null,
        free: Boolean(row.free),
      })),
      subscriptions: (subscriptions.get(String(tenant.tenant_id)) ?? []).map((row) => ({
        subscriptionId: String(row.subscription_id),
        skuId: (row.sku_id as string | null) ?? null,
        offerName: String(row.offer_name),
        quantity: Number(row.quantity),
        tenantUnits: row.tenant_units === null ? null : Number(row.tenant_units),
        billingCycle: String(row.billing_cycle),
        termDuration: (row.term_duration as string | null) ?? null,
        status: String(row.status),
        autoRenewEnabled: Boolean(row.auto_renew_enabled),
        isTrial: Boolean(row.is_trial),
        commitmentEndDate: sqlTime((row.commitment_end_date as string | null) ?? null),
        cancellationAllowedUntilDate: sqlTime((row.cancellation_allowed_until_date as string | null) ?? null),
        ...commerceOf(row),
      })),
    }));
  }

  async openDiscrepancyKeys(organizationId: string, runId: string) {
    const rows = await rawSql(
      this.em,
      'select key, kind, tenant_id, sku_id, subscription_id, title from discrepancies where organization_id = ? and run_id = ? and silenced_by is null',
      [organizationId, runId],
    );
    return new Map(
      rows.map((row) => [
        String(row.key),
        {
          kind: row.kind as Discrepancy['kind'],
          tenantId: String(row.tenant_id),
          skuId: (row.sku_id as string | null) ?? null,
          subscriptionId: (row.subscription_id as string | null) ?? null,
          title: String(row.title),
        },
      ]),
    );
  }

  async timeZoneOf(organizationId: string): Promise<string> {
    const [row] = await rawSql<{ time_zone: string }>(this.em, 'select time_zone from reconciliation_schedules where organization_id = ?', [
      organizationId,
    ]);
    return row?.time_zone ?? 'UTC';
  }

  async insertRun(run: ReconciliationRunRecord): Promise<void> {
    await rawSql(
      this.em,
      `insert into reconciliation_runs (id, organization_id, delegated_admin_id, import_run_id, trigger, started_at, finished_at, tenants_read, tenants_failed, changes, open_discrepancies, error)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        run.id,
        run.organizationId,
        run.delegatedAdminId,
        run.importRunId,
        run.trigger,
        run.startedAt,
        run.finishedAt,
        run.tenantsRead,
        run.tenantsFailed,
        run.changes,
        run.openDiscrepancies,
        run.error,
      ],
    );
  }

  async recordCounts(run: ReconciliationRunRecord): Promise<void> {
    await rawSql(
      this.em,
      'update reconciliation_runs set tenants_read = ?, tenants_failed = ?, changes = ?, open_discrepancies = ? where organization_id = ? and id = ?',
      [run.tenantsRead, run.tenantsFailed, run.changes, run.openDiscrepancies, run.organizationId, run.id],
    );
  }

  async saveTenants(
    run: ReconciliationRunRecord,
    pictures: TenantPicture[],
    changes: LicensingChange[],
    discrepancies: { open: Discrepancy[]; silenced: SilencedDiscrepancy[] },
    recordedAt: Date,
  ): Promise<string[]> {
    const org = run.organizationId;
    await this.insertRecords(
      'reconciliation_tenants',
      '"tenant_id" uuid, "company_name" text, "read" boolean, "failure_reason" text, "licences_unreadable" text',
      run.id,
      org,
      pictures.map((picture) => ({
        tenant_id: picture.tenantId,
        company_name: picture.companyName,
        read: picture.read,
        failure_reason: picture.failureReason,
        licences_unreadable: picture.licencesUnreadable ?? null,
      })),
    );
    await this.insertRecords(
      'licence_snapshots',
      '"tenant_id" uuid, "sku_id" text, "sku_part_number" text, "product_name" text, "purchased" int, "assigned" int, "available" int, "suspended" int, "warning" int, "partner_center_quantity" int, "sold_by_you" boolean, "free" boolean, "locked_out" int',
      run.id,
      org,
      pictures.flatMap((picture) =>
        picture.skus.map((sku) => ({
          tenant_id: picture.tenantId,
          sku_id: sku.skuId,
          sku_part_number: sku.skuPartNumber,
          product_name: sku.productName,
          purchased: sku.purchased,
          assigned: sku.assigned,
          available: sku.available,
          suspended: sku.suspended,
          warning: sku.warning,
          partner_center_quantity: partnerCenterQuantity(picture, sku.skuId),
          sold_by_you: sku.soldByYou,
          free: sku.free,
          locked_out: sku.lockedOut ?? 0,
        })),
      ),
    );
    await this.insertRecords(
      'subscription_snapshots',
      '"tenant_id" uuid, "subscription_id" text, "sku_id" text, "offer_name" text, "quantity" int, "tenant_units" int, "billing_cycle" text, "term_duration" text, "status" text, "auto_renew_enabled" boolean, "is_trial" boolean, "commitment_end_date" timestamptz, "cancellation_allowed_until_date" timestamptz, "refundable_quantity" int, "refundable_until" timestamptz, "scheduled_quantity" int',
      run.id,
      org,
      pictures.flatMap((picture) =>
        picture.subscriptions.map((subscription) => ({
          tenant_id: picture.tenantId,
          subscription_id: subscription.subscriptionId,
          sku_id: subscription.skuId,
          offer_name: subscription.offerName,
          quantity: subscription.quantity,
          tenant_units: subscription.tenantUnits,
          billing_cycle: subscription.billingCycle,
          term_duration: subscription.termDuration,
          status: subscription.status,
          auto_renew_enabled: subscription.autoRenewEnabled,
          is_trial: subscription.isTrial,
          commitment_end_date: subscription.commitmentEndDate?.toISOString() ?? null,
          cancellation_allowed_until_date: subscription.cancellationAllowedUntilDate?.toISOString() ?? null,
          refundable_quantity: subscription.refundableQuantity ?? null,
          refundable_until: subscription.refundableUntil?.toISOString() ?? null,
          scheduled_quantity: subscription.scheduledQuantity ?? null,
        })),
      ),
    );
    const changeIds = changes.map(() => randomUUID());
    await this.insertRecords(
      'licensing_changes',
      '"id" uuid, "tenant_id" uuid, "kind" text, "sku_id" text, "subscription_id" text, "before" text, "after" text, "delta" int, "summary" text, "occurred_at" timestamptz',
      run.id,
      org,
      changes.map((change, index) => ({
        id: changeIds[index],
        tenant_id: change.tenantId,
        kind: change.kind,
        sku_id: change.skuId,
        subscription_id: change.subscriptionId,
        before: change.before === null ? null : String(change.before),
        after: change.after === null ? null : String(change.after),
        delta: change.delta,
        summary: change.summary,
        occurred_at: recordedAt.toISOString(),
      })),
    );
    // Each with its tenant's name in this run: the Licensing page orders by it from one index.
    const names = new Map(pictures.map((picture) => [picture.tenantId, picture.companyName]));
    const discrepancyRecord = (discrepancy: Discrepancy, silencedBy: string | null) => ({
      key: discrepancy.key,
      kind: discrepancy.kind,
      tenant_id: discrepancy.tenantId,
      sku_id: discrepancy.skuId,
      subscription_id: discrepancy.subscriptionId,
      severity: discrepancy.severity,
      title: discrepancy.title,
      explanation: discrepancy.explanation,
      action: discrepancy.action,
      act_by: discrepancy.actBy?.toISOString() ?? null,
      figures: discrepancy.figures,
      silenced_by: silencedBy,
      company_name: names.get(discrepancy.tenantId) ?? null,
    });
    await this.insertRecords(
      'discrepancies',
      '"key" text, "kind" text, "tenant_id" uuid, "sku_id" text, "subscription_id" text, "severity" text, "title" text, "explanation" text, "action" text, "act_by" timestamptz, "figures" jsonb, "silenced_by" uuid, "company_name" text',
      run.id,
      org,
      [
        ...discrepancies.open.map((d) => discrepancyRecord(d, null)),
        ...discrepancies.silenced.map((s) => discrepancyRecord(s.discrepancy, s.exclusionId)),
      ],
    );
    return changeIds;
  }

  async freezeMonthEnd(organizationId: string, delegatedAdminId: string, month: string, runId: string, at: Date): Promise<void> {
    await rawSql(
      this.em,
      `insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) values (?, ?, ?, ?, ?) on conflict do nothing`,
      [organizationId, delegatedAdminId, month, runId, at],
    );
  }

  async schedules(organizationIds: readonly string[]): Promise<ScheduleRecord[]> {
    if (organizationIds.length === 0) return [];
    const rows = await rawSql<{
      organization_id: string;
      time_zone: string | null;
      run_at: string | null;
      last_scheduled_on: string | null;
    }>(this.em, 'select organization_id, time_zone, run_at, last_scheduled_on from reconciliation_schedules where organization_id in (?)', [
      organizationIds,
    ]);
    const byOrganization = new Map(rows.map((row) => [row.organization_id, row]));
    return organizationIds.map((organizationId) => {
      const row = byOrganization.get(organizationId);
      return {
        organizationId,
        timeZone: row?.time_zone ?? 'UTC',
        runAt: row?.run_at ?? '02:00',
        lastScheduledOn: row?.last_scheduled_on ?? null,
      };
    });
  }

  // One statement decides, whichever instance gets there first: the row is created with today's date, or moved
  // to it only from an earlier one.
  async claimScheduledRun(organizationId: string, localDate: string): Promise<boolean> {
    const rows = await rawSql(
      this.em,
      `insert into reconciliation_schedules (organization_id, last_scheduled_on) values (?, ?)
       on conflict (organization_id) do update set last_scheduled_on = excluded.last_scheduled_on
       where reconciliation_schedules.last_scheduled_on is null or reconciliation_schedules.last_scheduled_on < excluded.last_scheduled_on
       returning 1`,
      [organizationId, localDate],
    );
    return rows.length > 0;
  }

  // Many rows in one statement: JSON in, json_to_recordset out (a bound JS array would become a list).
  private async insertRecords(table: string, columns: string, runId: string, organizationId: string, records: Row[]): Promise<void> {
    const names = [...columns.matchAll(/"([a-z_]+)"/g)].map((match) => `"${match[1]}"`).join(', ');
    for (let start = 0; start < records.length; start += BATCH * 4) {
      const chunk = records.slice(start, start + BATCH * 4);
      await boundSql(
        this.em,
        `insert into "${table}" ("run_id", "organization_id", ${names}) select ?::uuid, ?::uuid, ${names} from json_to_recordset(?::json) as r(${columns})`,
        [runId, organizationId, JSON.stringify(chunk)],
      );
    }
  }
}

// The condition (and its parameters after the organization and run) that keeps only these tenants' rows, if given.
function ofTheseTenants(organizationId: string, runId: string, tenantIds: readonly string[] | undefined): [string, unknown[]] {
  return tenantIds ? [' and tenant_id in (?)', [organizationId, runId, tenantIds]] : ['', [organizationId, runId]];
}

function toRun(row: Row): ReconciliationRunRecord {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    delegatedAdminId: String(row.delegated_admin_id),
    importRunId: String(row.import_run_id),
    trigger: String(row.trigger),
    startedAt: sqlTime(row.started_at as string),
    finishedAt: sqlTime(row.finished_at as string),
    tenantsRead: Number(row.tenants_read),
    tenantsFailed: Number(row.tenants_failed),
    changes: Number(row.changes),
    openDiscrepancies: Number(row.open_discrepancies),
    error: (row.error as string | null) ?? null,
  };
}

// New commerce (FACTS §7a.4) columns of tenant_subscriptions and subscription_snapshots (null: not said).
function commerceOf(
  row: Record<string, unknown>,
): Pick<SubscriptionPicture, 'refundableQuantity' | 'refundableUntil' | 'scheduledQuantity'> {
  return {
    refundableQuantity: row.refundable_quantity === null || row.refundable_quantity === undefined ? null : Number(row.refundable_quantity),
    refundableUntil: sqlTime((row.refundable_until as string | null | undefined) ?? null),
    scheduledQuantity: row.scheduled_quantity === null || row.scheduled_quantity === undefined ? null : Number(row.scheduled_quantity),
  };
}
