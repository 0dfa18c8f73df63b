import { randomUUID } from 'node:crypto';
import { LicenceHoldings, type TenantHoldings } from '../../../licensing';
import { EventOutbox, type IntegrationEvent } from '../../../../shared/application/integration-event';
import {
  ReconciliationRepository,
  type ReconciliationRunRecord,
  type RunTenant,
  type ScheduleRecord,
} from '../../application/ports/reconciliation.repository';
import type { Discrepancy, LicensingChange, SilencedDiscrepancy, TenantPicture } from '../../domain';

export interface StoredRun {
  run: ReconciliationRunRecord;
  pictures: TenantPicture[];
  changes: Array<LicensingChange & { id: string }>;
  open: Discrepancy[];
  silenced: SilencedDiscrepancy[];
}

// Fakes for the finalize use case: runs kept in memory with the keys the tables have (a tenant or a discrepancy
// written twice in one run fails, as the primary keys would), the licence records it reads, the events it publishes.
export class InMemoryReconciliationRuns extends ReconciliationRepository {
  readonly stored: StoredRun[] = [];
  readonly monthEnds: Array<{ organizationId: string; delegatedAdminId: string; month: string; runId: string }> = [];
  readonly timeZones = new Map<string, string>();

  async lockOrganization(): Promise<void> {}

  async findByImportRun(organizationId: string, importRunId: string): Promise<ReconciliationRunRecord | null> {
    return this.of(organizationId).find((s) => s.run.importRunId === importRunId)?.run ?? null;
  }

  async previousRun(organizationId: string, delegatedAdminId: string): Promise<ReconciliationRunRecord | null> {
    const runs = this.of(organizationId).filter((s) => s.run.delegatedAdminId === delegatedAdminId);
    return runs.sort((a, b) => b.run.finishedAt.getTime() - a.run.finishedAt.getTime())[0]?.run ?? null;
  }

  async tenantsOfRun(organizationId: string, runId: string): Promise<RunTenant[]> {
    return this.find(organizationId, runId).pictures.map(({ tenantId, companyName }) => ({ tenantId, companyName }));
  }

  async picturesOfRun(organizationId: string, runId: string, tenantIds?: readonly string[]): Promise<TenantPicture[]> {
    const pictures = this.find(organizationId, runId).pictures;
    return structuredClone(tenantIds ? pictures.filter((p) => tenantIds.includes(p.tenantId)) : pictures);
  }

  async openDiscrepancyKeys(organizationId: string, runId: string) {
    const open = this.find(organizationId, runId).open;
    return new Map(
      open.map(({ key, kind, tenantId, skuId, subscriptionId, title }) => [key, { kind, tenantId, skuId, subscriptionId, title }]),
    );
  }

  async timeZoneOf(organizationId: string): Promise<string> {
    return this.timeZones.get(organizationId) ?? 'UTC';
  }

  async insertRun(run: ReconciliationRunRecord): Promise<void> {
    if (this.stored.some((s) => s.run.id === run.id)) throw new Error(`run ${run.id} written twice`);
    this.stored.push({ run: { ...run }, pictures: [], changes: [], open: [], silenced: [] });
  }

  async saveTenants(
    run: ReconciliationRunRecord,
    pictures: TenantPicture[],
    changes: LicensingChange[],
    discrepancies: { open: Discrepancy[]; silenced: SilencedDiscrepancy[] },
  ): Promise<string[]> {
    const stored = this.find(run.organizationId, run.id);
    const tenants = new Set(stored.pictures.map((p) => p.tenantId));
    for (const picture of pictures) {
      if (tenants.has(picture.tenantId)) throw new Error(`tenant ${picture.tenantId} written twice in run ${run.id}`);
      tenants.add(picture.tenantId);
    }
    const keys = new Set([...stored.open, ...stored.silenced.map((s) => s.discrepancy)].map((d) => d.key));
    for (const discrepancy of [...discrepancies.open, ...discrepancies.silenced.map((s) => s.discrepancy)]) {
      if (keys.has(discrepancy.key)) throw new Error(`discrepancy ${discrepancy.key} written twice in run ${run.id}`);
      keys.add(discrepancy.key);
    }
    const ids = changes.map(() => randomUUID());
    stored.pictures.push(...structuredClone(pictures));
    stored.changes.push(...changes.map((change, index) => ({ ...change, id: ids[index] })));
    stored.open.push(...discrepancies.open);
    stored.silenced.push(...discrepancies.silenced);
    return ids;
  }

  async recordCounts(run: ReconciliationRunRecord): Promise<void> {
    this.find(run.organizationId, run.id).run = { ...run };
  }

  async freezeMonthEnd(organizationId: string, delegatedAdminId: string, month: string, runId: string): Promise<void> {
    if (!this.monthEnds.some((m) => m.organizationId === organizationId && m.delegatedAdminId === delegatedAdminId && m.month === month))
      this.monthEnds.push({ organizationId, delegatedAdminId, month, runId });
  }

  async schedules(): Promise<ScheduleRecord[]> {
    throw new Error('not used by the finalize');
  }

  async claimScheduledRun(): Promise<boolean> {
    throw new Error('not used by the finalize');
  }

  private of(organizationId: string): StoredRun[] {
    return this.stored.filter((s) => s.run.organizationId === organizationId);
  }

  private find(organizationId: string, runId: string): StoredRun {
    const stored = this.of(organizationId).find((s) => s.run.id === runId);
    if (!stored) throw new Error(`no run ${runId}`);
    return stored;
  }
}

// The licence records now, per tenant; remembers how many tenants each read asked for.
export class InMemoryLicenceHoldings extends LicenceHoldings {
  readonly held = new Map<string, TenantHoldings>();
  readonly asked: number[] = [];

  async of(_organizationId: string, tenantIds: readonly string[]): Promise<Map<string, TenantHoldings>> {
    this.asked.push(tenantIds.length);
    const found = new Map<string, TenantHoldings>();
    for (const tenantId of tenantIds) {
      const held = this.held.get(tenantId);
      if (held) found.set(tenantId, structuredClone(held));
    }
    return found;
  }

  async organizationsWithLicences(): Promise<string[]> {
    return [];
  }
}

export class RecordingOutbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];

  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}
