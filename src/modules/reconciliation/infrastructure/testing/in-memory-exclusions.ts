import { AuditTrail, type AuditEntryInput } from '../../../audit';
import { ExclusionsRepository, type StoredExclusion } from '../../application/ports/exclusions.repository';
import {
  DEFAULT_SCHEDULE,
  type ProductView,
  type ReconciliationScheduleView,
  type ReconciliationTenantView,
  type RunQueries,
  type SnapshotQueries,
} from '../../application/reconciliation-queries';
import type { Exclusion } from '../../domain';

// Fakes for the exclusion and schedule use cases: one organization's settings in memory, the names the latest
// runs know, and the audit entries recorded.
export class InMemoryExclusions extends ExclusionsRepository {
  readonly rows = new Map<string, StoredExclusion & { organizationId: string }>();
  readonly schedules = new Map<string, { timeZone: string; runAt: string }>();

  async list(organizationId: string): Promise<Exclusion[]> {
    return [...this.rows.values()]
      .filter((e) => e.organizationId === organizationId)
      .map(({ id, tenantId, skuId, rule, spare, reason }) => ({ id, tenantId, skuId, rule, spare, reason }));
  }

  async find(organizationId: string, id: string): Promise<StoredExclusion | null> {
    const row = this.rows.get(id);
    if (!row || row.organizationId !== organizationId) return null;
    const { organizationId: _, ...exclusion } = row;
    return exclusion;
  }

  async add(organizationId: string, exclusion: StoredExclusion): Promise<void> {
    this.rows.set(exclusion.id, { ...exclusion, organizationId });
  }

  async remove(organizationId: string, id: string): Promise<boolean> {
    if (this.rows.get(id)?.organizationId !== organizationId) return false;
    return this.rows.delete(id);
  }

  async saveSchedule(organizationId: string, schedule: { timeZone: string; runAt: string }): Promise<void> {
    this.schedules.set(organizationId, { ...schedule });
  }
}

// Only what the use cases ask the read side: names of tenants and products (SnapshotQueries), and the schedule
// (RunQueries).
export function fakeReconciliationQueries(known: {
  tenants?: ReconciliationTenantView[];
  products?: ProductView[];
  exclusions?: InMemoryExclusions;
}): SnapshotQueries & RunQueries {
  const fake: Pick<SnapshotQueries, 'tenant' | 'product'> & Pick<RunQueries, 'schedule'> = {
    tenant: async (_organizationId, tenantId) => known.tenants?.find((t) => t.tenantId === tenantId.toLowerCase()) ?? null,
    product: async (_organizationId, skuId) => known.products?.find((p) => p.skuId === skuId.toLowerCase()) ?? null,
    schedule: async (organizationId): Promise<ReconciliationScheduleView> =>
      known.exclusions?.schedules.get(organizationId) ?? { ...DEFAULT_SCHEDULE },
  };
  return fake as SnapshotQueries & RunQueries;
}

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}
