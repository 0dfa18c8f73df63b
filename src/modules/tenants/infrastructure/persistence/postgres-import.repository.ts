import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import type { CustomerSummary } from '../../../partner-center';
import type { ImportFinishedPayload } from '../../events';
import { ImportRepository, type CompletedTenantRead, type RunTenantStatus } from '../../application/ports/import.repository';
import type { CustomerAccess } from '../../domain/customer-access';
import type { GdapEvaluation } from '../../domain/gdap-access';
import type { ImportRun } from '../../domain/import-run';
import { boundSql, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { outboxInsert } from '../../../../shared/infrastructure/jobs/mikro-orm-event-outbox';

interface RunRow {
  id: string;
  organization_id: string;
  delegated_admin_id: string;
  trigger: ImportRun['trigger'];
  status: ImportRun['status'];
  total: number;
  done: number;
  failed: number;
  error: string | null;
  started_at: Date;
  listed_at: Date | null;
  finished_at: Date | null;
}

const RUN_COLUMNS =
  'id, organization_id, delegated_admin_id, trigger, status, total, done, failed, error, started_at, listed_at, finished_at';

// Set-based SQL: an import of 10,000 tenants writes each page of customers in one statement, and every
// customer write is conditional (`is distinct from`), so an unchanged tenant is not written at all.
@Injectable()
export class PostgresImportRepository extends ImportRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async createRun(run: ImportRun): Promise<void> {
    await rawSql(this.em, `insert into import_runs (${RUN_COLUMNS}, heartbeat_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      run.id,
      run.organizationId,
      run.delegatedAdminId,
      run.trigger,
      run.status,
      run.total,
      run.done,
      run.failed,
      run.error,
      run.startedAt,
      run.listedAt,
      run.finishedAt,
      run.startedAt,
    ]);
  }

  async findRun(organizationId: string, runId: string): Promise<ImportRun | null> {
    const [row] = await rawSql<RunRow>(this.em, `select ${RUN_COLUMNS} from import_runs where organization_id = ? and id = ?`, [
      organizationId,
      runId,
    ]);
    return row ? toRun(row) : null;
  }

  async findUnfinishedRun(organizationId: string, delegatedAdminId: string): Promise<ImportRun | null> {
    const [row] = await rawSql<RunRow>(
      this.em,
      `select ${RUN_COLUMNS} from import_runs where organization_id = ? and delegated_admin_id = ? and status in ('listing', 'reading')`,
      [organizationId, delegatedAdminId],
    );
    return row ? toRun(row) : null;
  }

  async latestRuns(organizationId: string): Promise<ImportRun[]> {
    const rows = await rawSql<RunRow>(
      this.em,
      `select distinct on (delegated_admin_id) ${RUN_COLUMNS} from import_runs where organization_id = ? order by delegated_admin_id, started_at desc`,
      [organizationId],
    );
    return rows.map(toRun);
  }

  async staleRuns(before: Date): Promise<ImportRun[]> {
    const rows = await rawSql<RunRow>(
      this.em,
      `select ${RUN_COLUMNS} from import_runs where status in ('listing', 'reading') and heartbeat_at < ? order by started_at limit 100`,
      [before],
    );
    return rows.map(toRun);
  }

  async heartbeat(runId: string, now: Date): Promise<void> {
    await rawSql(this.em, 'update import_runs set heartbeat_at = ? where id = ?', [now, runId]);
  }

  async recordListedCustomers(run: ImportRun, customers: CustomerSummary[], now: Date): Promise<string[]> {
    if (customers.length === 0) return [];
    const page = JSON.stringify(
      customers.map((c) => ({ tenant_id: c.tenantId, company_name: c.companyName, domain: c.domain, relationship: c.relationship })),
    );
    await rawSql(
      this.em,
      `insert into customer_tenants (id, organization_id, delegated_admin_id, tenant_id, company_name, domain, relationship, status, created_at, changed_at, listed_at)
       select gen_random_uuid(), ?, ?, t.tenant_id, t.company_name, t.domain, t.relationship, 'active', ?, ?, ?
       from jsonb_to_recordset(?::jsonb) as t(tenant_id uuid, company_name text, domain text, relationship text)
       on conflict (organization_id, tenant_id) do update set
         delegated_admin_id = excluded.delegated_admin_id, company_name = excluded.company_name, domain = excluded.domain,
         relationship = excluded.relationship, status = 'active', removed_at = null, changed_at = excluded.changed_at
       where (customer_tenants.delegated_admin_id, customer_tenants.company_name, customer_tenants.domain, customer_tenants.relationship, customer_tenants.status)
         is distinct from (excluded.delegated_admin_id, excluded.company_name, excluded.domain, excluded.relationship, 'active')`,
      [run.organizationId, run.delegatedAdminId, now, now, now, page],
    );
    const added = await rawSql<{ tenant_id: string }>(
      this.em,
      `insert into import_run_tenants (run_id, organization_id, tenant_id, status)
       select ?, ?, t.tenant_id, 'pending' from jsonb_to_recordset(?::jsonb) as t(tenant_id uuid)
       on conflict do nothing returning tenant_id`,
      [run.id, run.organizationId, page],
    );
    await rawSql(this.em, 'update import_runs set total = total + ?, heartbeat_at = ? where id = ?', [added.length, now, run.id]);
    return added.map((r) => r.tenant_id);
  }

  async finishListing(run: ImportRun, now: Date): Promise<boolean> {
    await rawSql(
      this.em,
      `update customer_tenants set status = 'removed', removed_at = ?, changed_at = ?
       where organization_id = ? and delegated_admin_id = ? and status = 'active'
         and not exists (select 1 from import_run_tenants r where r.run_id = ? and r.tenant_id = customer_tenants.tenant_id)`,
      [now, now, run.organizationId, run.delegatedAdminId, run.id],
    );
    const [row] = await rawSql<{ status: string }>(
      this.em,
      `update import_runs set listed_at = ?, heartbeat_at = ?,
         status = case when done + failed >= total then 'completed' else 'reading' end,
         finished_at = case when done + failed >= total then ?::timestamptz else null end
       where id = ? and status = 'listing' returning status`,
      [now, now, now, run.id],
    );
    return row?.status === 'completed';
  }

  async failRun(run: ImportRun, reason: string, now: Date): Promise<boolean> {
    const updated = await rawSql(
      this.em,
      `update import_runs set status = 'failed', error = ?, finished_at = ?, heartbeat_at = ? where id = ? and status in ('listing', 'reading') returning 1`,
      [reason, now, now, run.id],
    );
    return updated.length > 0;
  }

  async pendingTenants(runId: string): Promise<string[]> {
    return (
      await rawSql<{ tenant_id: string }>(this.em, `select tenant_id from import_run_tenants where run_id = ? and status = 'pending'`, [
        runId,
      ])
    ).map((r) => r.tenant_id);
  }

  async runTenantStatus(runId: string, tenantId: string): Promise<RunTenantStatus | null> {
    const [row] = await rawSql<{ status: RunTenantStatus }>(
      this.em,
      'select status from import_run_tenants where run_id = ? and tenant_id = ?',
      [runId, tenantId],
    );
    return row?.status ?? null;
  }

  override async findRunTenant(
    organizationId: string,
    runId: string,
    tenantId: string,
  ): Promise<{ run: ImportRun; tenantStatus: RunTenantStatus | null } | null> {
    const [row] = await rawSql<RunRow & { tenant_status: RunTenantStatus | null }>(
      this.em,
      `select ${RUN_COLUMNS}, (select t.status from import_run_tenants t where t.run_id = import_runs.id and t.tenant_id = ?) as tenant_status
       from import_runs where organization_id = ? and id = ?`,
      [tenantId, organizationId, runId],
    );
    return row ? { run: toRun(row), tenantStatus: row.tenant_status } : null;
  }

  async markFailed(organizationId: string, runId: string, tenantId: string, reason: string, now: Date): Promise<boolean> {
    const updated = await rawSql(
      this.em,
      `update import_run_tenants set status = 'failed', reason = ?, finished_at = ? where run_id = ? and tenant_id = ? and status in ('pending', 'recording') returning 1`,
      [reason, now, runId, tenantId],
    );
    if (updated.length === 0) return false;
    await rawSql(
      this.em,
      'update customer_tenants set last_error = ? where organization_id = ? and tenant_id = ? and last_error is distinct from ?',
      [reason, organizationId, tenantId, reason],
    );
    return this.count(runId, 'failed', now);
  }

  async retryTenant(organizationId: string, runId: string, tenantId: string): Promise<boolean> {
    const updated = await rawSql(
      this.em,
      `update import_run_tenants set status = 'pending', reason = null, finished_at = null where organization_id = ? and run_id = ? and tenant_id = ? and status = 'failed' returning 1`,
      [organizationId, runId, tenantId],
    );
    if (updated.length === 0) return false;
    await rawSql(
      this.em,
      `update import_runs set failed = failed - 1, status = case when status = 'completed' then 'reading' else status end, finished_at = null where id = ?`,
      [runId],
    );
    return true;
  }

  // One statement, so no transaction of the caller's is needed (a transaction took four round trips: begin, record,
  // outbox row, commit). The customer row is written once: GDAP read stamp always when GDAP was read, changed_at only
  // when GDAP or access content changed, and no write at all when GDAP is unreadable and nothing changed. A null `app`
  // keeps the stored state, and a stored 'provisioned' stays when a read finds the app present ("added by Sync 365 on …"
  // remains true).
  async recordRead(
    runId: string,
    organizationId: string,
    tenantId: string,
    gdap: GdapEvaluation | null,
    access: CustomerAccess,
    now: Date,
    event: IntegrationEvent<object>,
  ): Promise<boolean> {
    const app = `case when ?::text is null then app_status when ?::text = 'present' and app_status = 'provisioned' then 'provisioned' else ?::text end`;
    const appParams = [access.app, access.app, access.app];
    const accessChanged = `(app_status, app_provisioned_at, access_problem, access_problem_kind) is distinct from (${app}, coalesce(?::timestamptz, app_provisioned_at), ?, ?)`;
    const accessChangedParams = [...appParams, access.provisionedAt, access.problem, access.problemKind];
    const accessSet = `app_status = ${app}, app_provisioned_at = coalesce(?::timestamptz, app_provisioned_at), access_problem = ?, access_problem_kind = ?`;
    const accessSetParams = accessChangedParams;
    let customer: string;
    let customerParams: unknown[];
    if (gdap) {
      // Arrays travel as JSON: the driver would expand a JS array into a list of parameters.
      const roles = `array(select jsonb_array_elements_text(?::jsonb))`;
      const missing = JSON.stringify(gdap.missingRoles);
      const detail = JSON.stringify(gdap.relationships);
      customer = `update customer_tenants set gdap_status = ?, gdap_missing_roles = ${roles}, gdap_detail = ?::jsonb, gdap_read_at = ?, ${accessSet},
          changed_at = case when (gdap_status, gdap_missing_roles, gdap_detail) is distinct from (?, ${roles}, ?::jsonb) or ${accessChanged} then ?::timestamptz else changed_at end
        where organization_id = ? and tenant_id = ? and exists (select 1 from tenant)`;
      customerParams = [
        gdap.status,
        missing,
        detail,
        now,
        ...accessSetParams,
        gdap.status,
        missing,
        detail,
        ...accessChangedParams,
        now,
        organizationId,
        tenantId,
      ];
    } else {
      customer = `update customer_tenants set gdap_status = 'unknown', ${accessSet}, changed_at = ?
        where organization_id = ? and tenant_id = ? and exists (select 1 from tenant) and (gdap_status <> 'unknown' or ${accessChanged})`;
      customerParams = [...accessSetParams, now, organizationId, tenantId, ...accessChangedParams];
    }
    // The event's outbox row only when the tenant was marked; the relay reads it as MikroOrmEventOutbox writes it.
    const outbox = outboxInsert(event, 'exists (select 1 from tenant)');
    const [row] = await rawSql<{ marked: boolean }>(
      this.em,
      `with tenant as (
         update import_run_tenants set status = 'recording' where run_id = ? and tenant_id = ? and status = 'pending' returning 1
       ), customer as (${customer}), outbox as (${outbox.sql})
       select exists (select 1 from tenant) as marked`,
      [runId, tenantId, ...customerParams, ...outbox.params],
    );
    return row?.marked ?? false;
  }

  // One statement for a batch of tenants (four round trips per tenant before): each tenant done in its run, its customer
  // row written once (its totals; changed_at only when they changed; its last error cleared when it became done here),
  // then each run's counter once. Each data-modifying part sees the rows as they were. The run rows are locked in id
  // order (two batches never wait for each other crosswise) and last, so held only until the commit that follows.
  override async recordTotalsAndMarkDone(
    tenants: readonly CompletedTenantRead[],
    now: Date,
  ): Promise<{ organizationId: string; runId: string }[]> {
    if (tenants.length === 0) return [];
    const input = tenants.map(({ organizationId, runId, tenantId, totals }) => {
      const unreadable = totals.licencesUnreadable ?? null;
      return {
        organization_id: organizationId,
        run_id: runId,
        tenant_id: tenantId,
        purchased: unreadable === null ? totals.purchased : null,
        assigned: unreadable === null ? totals.assigned : null,
        unassigned: unreadable === null ? totals.hasUnassignedSeats : false,
        unreadable,
      };
    });
    const rows = await boundSql<{ organization_id: string; run_id: string }>(
      this.em,
      `with input as (
         select * from json_to_recordset(?::json)
           as i(organization_id uuid, run_id uuid, tenant_id uuid, purchased integer, assigned integer, unassigned boolean, unreadable text)
       ), tenant as (
         update import_run_tenants t set status = 'done', reason = null, finished_at = ?
         from input i where t.run_id = i.run_id and t.tenant_id = i.tenant_id and t.organization_id = i.organization_id and t.status in ('pending', 'recording')
         returning t.run_id, t.tenant_id
       ), customer as (
         update customer_tenants c set purchased = i.purchased, assigned = i.assigned, has_unassigned_seats = i.unassigned, licences_unreadable = i.unreadable,
           licences_read_at = ?,
           changed_at = case when (c.purchased, c.assigned, c.has_unassigned_seats, c.licences_unreadable) is distinct from (i.purchased, i.assigned, i.unassigned, i.unreadable)
             then ?::timestamptz else c.changed_at end,
           last_error = case when exists (select 1 from tenant d where d.run_id = i.run_id and d.tenant_id = c.tenant_id) then null else c.last_error end
         from input i where c.organization_id = i.organization_id and c.tenant_id = i.tenant_id
       ), counted as (
         select run_id, count(*)::int as n from tenant group by run_id
       ), locked as (
         select r.id from import_runs r where r.id in (select run_id from counted) order by r.id for update
       ), run as (
         update import_runs r set done = r.done + c.n, heartbeat_at = ?,
           status = case when r.status = 'reading' and r.done + r.failed + c.n >= r.total then 'completed' else r.status end,
           finished_at = case when r.status = 'reading' and r.done + r.failed + c.n >= r.total then ?::timestamptz else r.finished_at end
         from counted c join locked l on l.id = c.run_id
         where r.id = c.run_id
         returning r.id, r.organization_id, (r.status = 'completed' and r.finished_at = ?::timestamptz) as completed_now
       )
       select organization_id, id as run_id from run where completed_now`,
      [JSON.stringify(input), now, now, now, now, now, now],
    );
    return rows.map((row) => ({ organizationId: row.organization_id, runId: row.run_id }));
  }

  async latestRunOfTenant(organizationId: string, tenantId: string): Promise<{ runId: string; status: RunTenantStatus } | null> {
    const [row] = await rawSql<{ run_id: string; status: RunTenantStatus }>(
      this.em,
      `select t.run_id, t.status from import_run_tenants t join import_runs r on r.id = t.run_id
       where t.organization_id = ? and t.tenant_id = ? order by r.started_at desc limit 1`,
      [organizationId, tenantId],
    );
    return row ? { runId: row.run_id, status: row.status } : null;
  }

  // One counter step; the run completes when its listing is done and every tenant is done or failed. True when
  // this step completed it (the row lock makes exactly one step see that).
  private async count(runId: string, column: 'done' | 'failed', now: Date): Promise<boolean> {
    const [row] = await rawSql<{ completed_now: boolean }>(
      this.em,
      `update import_runs set ${column} = ${column} + 1, heartbeat_at = ?,
         status = case when status = 'reading' and done + failed + 1 >= total then 'completed' else status end,
         finished_at = case when status = 'reading' and done + failed + 1 >= total then ?::timestamptz else finished_at end
       where id = ? returning (status = 'completed' and finished_at = ?::timestamptz) as completed_now`,
      [now, now, runId, now],
    );
    return row?.completed_now ?? false;
  }

  async finishedRunReport(organizationId: string, runId: string): Promise<ImportFinishedPayload | null> {
    const run = await this.findRun(organizationId, runId);
    if (!run || !run.finishedAt) return null;
    const tenants = await rawSql<{ tenant_id: string; company_name: string; status: string; reason: string | null }>(
      this.em,
      `select r.tenant_id, t.company_name, r.status, r.reason from import_run_tenants r
       join customer_tenants t on t.organization_id = r.organization_id and t.tenant_id = r.tenant_id
       where r.run_id = ? and r.organization_id = ? order by r.tenant_id`,
      [runId, organizationId],
    );
    return {
      importRunId: run.id,
      delegatedAdminId: run.delegatedAdminId,
      trigger: run.trigger,
      status: run.status === 'failed' ? 'failed' : 'completed',
      error: run.error,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      tenants: tenants.map((t) => ({
        tenantId: t.tenant_id,
        companyName: t.company_name,
        read: t.status === 'done',
        reason: t.status === 'done' ? null : (t.reason ?? 'Not read.'),
      })),
    };
  }
}

function toRun(row: RunRow): ImportRun {
  return {
    id: row.id,
    organizationId: row.organization_id,
    delegatedAdminId: row.delegated_admin_id,
    trigger: row.trigger,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    error: row.error,
    startedAt: sqlTime(row.started_at),
    listedAt: sqlTime(row.listed_at),
    finishedAt: sqlTime(row.finished_at),
  };
}
