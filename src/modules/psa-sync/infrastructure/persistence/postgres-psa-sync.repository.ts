import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SecretCipher } from '../../../../shared/application/secret-cipher.port';
import { isGuid } from '../../../../shared/domain/guid';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { PsaSyncRepository } from '../../application/ports/psa-sync.repository';
import type { PsaConnection, PsaCredentials, PsaKind } from '../../domain/psa-connection';
import type { ProductMapping, TenantMapping } from '../../domain/psa-mapping';
import type { SyncLineResult, SyncRun, SyncRunStatus, SyncTrigger, TenantSyncResult, TenantSyncStatus } from '../../domain/psa-sync-run';

type Time = string | Date;

// The credentials are one encrypted JSON document bound to the organization (prefixed context, so it can never stand
// in for a refresh token or a webhook secret).
const credentialsContext = (organizationId: string) => `psa-connection:${organizationId}`;

interface RunRow {
  id: string;
  organization_id: string;
  psa_kind: string;
  trigger: SyncTrigger;
  triggered_by: string;
  status: SyncRunStatus;
  started_at: Time;
  finished_at: Time | null;
  tenants: number;
  changed_lines: number;
  failed_tenants: number;
}

@Injectable()
export class PostgresPsaSyncRepository extends PsaSyncRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: SecretCipher,
  ) {
    super();
  }

  async connection(organizationId: string): Promise<PsaConnection | null> {
    const [row] = await rawSql<{
      kind: PsaKind;
      label: string;
      credentials_ciphertext: string;
      connected_at: Time;
      connected_by_name: string;
    }>(
      this.em,
      'select kind, label, credentials_ciphertext, connected_at, connected_by_name from psa_connections where organization_id = ?',
      [organizationId],
    );
    if (!row) return null;
    const credentials = JSON.parse(this.cipher.decrypt(row.credentials_ciphertext, credentialsContext(organizationId))) as PsaCredentials;
    return {
      organizationId,
      kind: row.kind,
      label: row.label,
      credentials,
      connectedAt: sqlTime(row.connected_at),
      connectedByName: row.connected_by_name,
    };
  }

  async saveConnection(c: PsaConnection): Promise<void> {
    await rawSql(
      this.em,
      `insert into psa_connections (organization_id, kind, label, credentials_ciphertext, connected_at, connected_by_name) values (?, ?, ?, ?, ?, ?)
       on conflict (organization_id) do update set kind = excluded.kind, label = excluded.label, credentials_ciphertext = excluded.credentials_ciphertext,
         connected_at = excluded.connected_at, connected_by_name = excluded.connected_by_name`,
      [
        c.organizationId,
        c.kind,
        c.label,
        this.cipher.encrypt(JSON.stringify(c.credentials), credentialsContext(c.organizationId)),
        c.connectedAt,
        c.connectedByName,
      ],
    );
  }

  async removeConnection(organizationId: string): Promise<boolean> {
    await rawSql(this.em, 'delete from psa_tenant_mappings where organization_id = ?', [organizationId]);
    await rawSql(this.em, 'delete from psa_product_mappings where organization_id = ?', [organizationId]);
    const rows = await rawSql(this.em, 'delete from psa_connections where organization_id = ? returning organization_id', [organizationId]);
    return rows.length > 0;
  }

  async tenantMappings(organizationId: string): Promise<TenantMapping[]> {
    const rows = await rawSql<{
      tenant_id: string;
      company_id: string;
      company_name: string;
      agreement_id: string;
      agreement_name: string;
      confirmed_at: Time;
      confirmed_by_name: string;
    }>(
      this.em,
      'select tenant_id, company_id, company_name, agreement_id, agreement_name, confirmed_at, confirmed_by_name from psa_tenant_mappings where organization_id = ? order by company_name, tenant_id',
      [organizationId],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      companyId: r.company_id,
      companyName: r.company_name,
      agreementId: r.agreement_id,
      agreementName: r.agreement_name,
      confirmedAt: sqlTime(r.confirmed_at),
      confirmedByName: r.confirmed_by_name,
    }));
  }

  async saveTenantMapping(organizationId: string, m: TenantMapping): Promise<void> {
    await rawSql(
      this.em,
      `insert into psa_tenant_mappings (organization_id, tenant_id, company_id, company_name, agreement_id, agreement_name, confirmed_at, confirmed_by_name) values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (organization_id, tenant_id) do update set company_id = excluded.company_id, company_name = excluded.company_name, agreement_id = excluded.agreement_id,
         agreement_name = excluded.agreement_name, confirmed_at = excluded.confirmed_at, confirmed_by_name = excluded.confirmed_by_name`,
      [organizationId, m.tenantId, m.companyId, m.companyName, m.agreementId, m.agreementName, m.confirmedAt, m.confirmedByName],
    );
  }

  async productMappings(organizationId: string): Promise<ProductMapping[]> {
    const rows = await rawSql<{
      product_key: string;
      psa_product_id: string;
      psa_product_name: string;
      confirmed_at: Time;
      confirmed_by_name: string;
    }>(
      this.em,
      'select product_key, psa_product_id, psa_product_name, confirmed_at, confirmed_by_name from psa_product_mappings where organization_id = ? order by product_key',
      [organizationId],
    );
    return rows.map((r) => ({
      productKey: r.product_key,
      psaProductId: r.psa_product_id,
      psaProductName: r.psa_product_name,
      confirmedAt: sqlTime(r.confirmed_at),
      confirmedByName: r.confirmed_by_name,
    }));
  }

  async saveProductMapping(organizationId: string, m: ProductMapping): Promise<void> {
    await rawSql(
      this.em,
      `insert into psa_product_mappings (organization_id, product_key, psa_product_id, psa_product_name, confirmed_at, confirmed_by_name) values (?, ?, ?, ?, ?, ?)
       on conflict (organization_id, product_key) do update set psa_product_id = excluded.psa_product_id, psa_product_name = excluded.psa_product_name,
         confirmed_at = excluded.confirmed_at, confirmed_by_name = excluded.confirmed_by_name`,
      [organizationId, m.productKey, m.psaProductId, m.psaProductName, m.confirmedAt, m.confirmedByName],
    );
  }

  async createRun(run: SyncRun): Promise<boolean> {
    const rows = await rawSql(
      this.em,
      `insert into psa_sync_runs (id, organization_id, psa_kind, trigger, triggered_by, status, started_at, finished_at, tenants, changed_lines, failed_tenants)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing returning id`,
      [
        run.id,
        run.organizationId,
        run.psaKind,
        run.trigger,
        run.triggeredBy,
        run.status,
        run.startedAt,
        run.finishedAt,
        run.tenants,
        run.changedLines,
        run.failedTenants,
      ],
    );
    return rows.length > 0;
  }

  async startAttempt(organizationId: string, runId: string): Promise<number> {
    const [row] = await rawSql<{ attempt: number }>(
      this.em,
      'update psa_sync_runs set attempt = attempt + 1 where organization_id = ? and id = ? returning attempt',
      [organizationId, runId],
    );
    return row?.attempt ?? 0;
  }

  async isCurrentAttempt(organizationId: string, runId: string, attempt: number): Promise<boolean> {
    const rows = await rawSql(this.em, 'select 1 from psa_sync_runs where organization_id = ? and id = ? and attempt = ?', [
      organizationId,
      runId,
      attempt,
    ]);
    return rows.length > 0;
  }

  async finishRun(
    organizationId: string,
    runId: string,
    attempt: number,
    v: Pick<SyncRun, 'status' | 'finishedAt' | 'tenants' | 'changedLines' | 'failedTenants'>,
  ): Promise<boolean> {
    const rows = await rawSql(
      this.em,
      `update psa_sync_runs set status = ?, finished_at = ?, tenants = ?, changed_lines = ?, failed_tenants = ?
       where organization_id = ? and id = ? and attempt = ? returning id`,
      [v.status, v.finishedAt, v.tenants, v.changedLines, v.failedTenants, organizationId, runId, attempt],
    );
    return rows.length > 0;
  }

  async saveTenantResult(organizationId: string, runId: string, r: TenantSyncResult): Promise<void> {
    await rawSql(
      this.em,
      `insert into psa_sync_tenant_results (run_id, organization_id, tenant_id, company_name, status, message, fix, lines) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
       on conflict (run_id, tenant_id) do update set status = excluded.status, message = excluded.message, fix = excluded.fix, lines = excluded.lines
       where psa_sync_tenant_results.organization_id = excluded.organization_id`,
      [runId, organizationId, r.tenantId, r.companyName, r.status, r.message, r.fix, JSON.stringify(r.lines)],
    );
  }

  async stopStaleRuns(organizationId: string, startedBefore: Date, at: Date): Promise<number> {
    const rows = await rawSql(
      this.em,
      `update psa_sync_runs set status = 'stopped', finished_at = ? where organization_id = ? and status = 'running' and started_at < ? returning id`,
      [at, organizationId, startedBefore],
    );
    return rows.length;
  }

  async run(organizationId: string, runId: string): Promise<SyncRun | null> {
    if (!isGuid(runId)) return null;
    const [row] = await rawSql<RunRow>(this.em, 'select * from psa_sync_runs where organization_id = ? and id = ?', [
      organizationId,
      runId,
    ]);
    return row ? runOf(row) : null;
  }

  async runs(organizationId: string, options: { limit: number; before?: Date }): Promise<SyncRun[]> {
    const rows = await rawSql<RunRow>(
      this.em,
      `select * from psa_sync_runs where organization_id = ? ${options.before ? 'and started_at < ?' : ''} order by started_at desc, id desc limit ?`,
      options.before ? [organizationId, options.before, options.limit] : [organizationId, options.limit],
    );
    return rows.map(runOf);
  }

  async tenantResults(organizationId: string, runId: string): Promise<TenantSyncResult[]> {
    if (!isGuid(runId)) return [];
    const rows = await rawSql<{
      tenant_id: string;
      company_name: string;
      status: TenantSyncStatus;
      message: string;
      fix: string | null;
      lines: SyncLineResult[] | string;
    }>(
      this.em,
      'select tenant_id, company_name, status, message, fix, lines from psa_sync_tenant_results where organization_id = ? and run_id = ? order by position',
      [organizationId, runId],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      companyName: r.company_name,
      status: r.status,
      message: r.message,
      fix: r.fix,
      lines: typeof r.lines === 'string' ? (JSON.parse(r.lines) as SyncLineResult[]) : r.lines,
    }));
  }
}

function runOf(row: RunRow): SyncRun {
  return {
    id: row.id,
    organizationId: row.organization_id,
    psaKind: row.psa_kind,
    trigger: row.trigger,
    triggeredBy: row.triggered_by,
    status: row.status,
    startedAt: sqlTime(row.started_at),
    finishedAt: sqlTime(row.finished_at),
    tenants: Number(row.tenants),
    changedLines: Number(row.changed_lines),
    failedTenants: Number(row.failed_tenants),
  };
}
