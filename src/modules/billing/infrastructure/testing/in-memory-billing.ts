import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { EventOutbox } from '../../../../shared/application/integration-event';
import { AuditTrail, type AuditEntryInput } from '../../../audit';
import {
  DEFAULT_SETTINGS,
  type ApprovedLine,
  type BillingSettings,
  type ChangeKind,
  type LineChange,
  type LineValues,
  type RejectedChange,
} from '../../domain/approval';
import type { BillingProfile } from '../../domain/billing-profile';
import type { BillableLicence } from '../../domain/invoice-line';
import { ZERO, type Amount } from '../../domain/money';
import { BillableLicences, type BillingCustomer } from '../../application/ports/billable-licences.port';
import {
  BillingRepository,
  type CompanyMapping,
  type NewApproval,
  type Snapshot,
  type SnapshotLine,
  type StoredApproval,
  type StoredProfile,
  type StoredSettings,
  type TenantTotal,
} from '../../application/ports/billing.repository';

// In-memory billing tables for use-case tests, keyed by organization like the real ones.
export class InMemoryBillingRepository extends BillingRepository {
  readonly settingsOf = new Map<string, StoredSettings>();
  readonly profilesOf = new Map<string, StoredProfile[]>();
  readonly mappingsOf = new Map<string, CompanyMapping[]>();
  readonly approvedOf = new Map<string, ApprovedLine[]>();
  readonly approvalsOf = new Map<string, StoredApproval[]>();
  readonly totalsOf = new Map<string, TenantTotal[]>();
  readonly snapshotsOf = new Map<string, { snapshot: Omit<Snapshot, 'lines'>; lines: SnapshotLine[] }[]>();

  async settings(organizationId: string) {
    return this.settingsOf.get(organizationId) ?? { ...DEFAULT_SETTINGS, baselineRecordedAt: null };
  }
  async saveSettings(organizationId: string, settings: BillingSettings) {
    this.settingsOf.set(organizationId, { ...(await this.settings(organizationId)), ...settings });
  }
  async markBaselineRecorded(organizationId: string, at: Date) {
    const current = await this.settings(organizationId);
    this.settingsOf.set(organizationId, { ...current, baselineRecordedAt: current.baselineRecordedAt ?? at });
  }
  async profiles(organizationId: string) {
    return [...(this.profilesOf.get(organizationId) ?? [])];
  }
  async profile(organizationId: string, id: string) {
    return (this.profilesOf.get(organizationId) ?? []).find((p) => p.id === id) ?? null;
  }
  async saveProfile(organizationId: string, profile: BillingProfile, at: Date, byName: string) {
    const list = (this.profilesOf.get(organizationId) ?? []).filter((p) => p.id !== profile.id);
    const clash = list.some(
      (p) =>
        p.tenantId === profile.tenantId &&
        p.skuId === profile.skuId &&
        p.termDuration === profile.termDuration &&
        p.billingCycle === profile.billingCycle,
    );
    if (clash) return false;
    this.profilesOf.set(organizationId, [...list, { ...profile, updatedAt: at, updatedByName: byName }]);
    return true;
  }
  async deleteProfile(organizationId: string, id: string) {
    const list = this.profilesOf.get(organizationId) ?? [];
    this.profilesOf.set(
      organizationId,
      list.filter((p) => p.id !== id),
    );
    return list.some((p) => p.id === id);
  }
  async mappings(organizationId: string) {
    return [...(this.mappingsOf.get(organizationId) ?? [])];
  }
  async saveMapping(organizationId: string, mapping: CompanyMapping) {
    this.mappingsOf.set(organizationId, [
      ...(this.mappingsOf.get(organizationId) ?? []).filter((m) => m.tenantId !== mapping.tenantId),
      mapping,
    ]);
  }
  async approvedLines(organizationId: string, tenantId?: string) {
    return (this.approvedOf.get(organizationId) ?? []).filter((l) => !tenantId || l.tenantId === tenantId);
  }
  async approvedTotals(organizationId: string) {
    const totals = new Map<string, Amount>();
    for (const line of this.approvedOf.get(organizationId) ?? [])
      totals.set(line.tenantId, (totals.get(line.tenantId) ?? ZERO).plus(line.amount));
    return totals;
  }
  async applyChanges(organizationId: string, changes: readonly LineChange[]) {
    let lines = this.approvedOf.get(organizationId) ?? [];
    for (const c of changes) {
      lines = lines.filter((l) => !(l.tenantId === c.tenantId && l.lineKey === c.lineKey));
      if (c.after) lines.push({ tenantId: c.tenantId, lineKey: c.lineKey, skuId: c.skuId, ...c.after });
    }
    this.approvedOf.set(organizationId, lines);
  }
  async approvals(organizationId: string, filter: { status?: StoredApproval['status']; tenantId?: string }) {
    return (this.approvalsOf.get(organizationId) ?? []).filter(
      (a) => (!filter.status || a.status === filter.status) && (!filter.tenantId || a.tenantId === filter.tenantId),
    );
  }
  async approval(organizationId: string, id: string) {
    return (this.approvalsOf.get(organizationId) ?? []).find((a) => a.id === id) ?? null;
  }
  async latestRejected(organizationId: string): Promise<RejectedChange[]> {
    const decided = (this.approvalsOf.get(organizationId) ?? []).filter((a) => a.status === 'approved' || a.status === 'rejected');
    const latest = new Map<string, StoredApproval>();
    for (const a of decided) latest.set(`${a.tenantId}|${a.lineKey}`, a);
    return [...latest.values()]
      .filter((a) => a.status === 'rejected')
      .map((a) => ({ tenantId: a.tenantId, lineKey: a.lineKey, after: a.after }));
  }
  async addApproval(organizationId: string, approval: NewApproval) {
    this.approvalsOf.set(organizationId, [
      ...(this.approvalsOf.get(organizationId) ?? []),
      { ...approval, status: 'pending', decidedAt: null, decidedByName: null },
    ]);
  }
  async updatePendingApproval(
    organizationId: string,
    id: string,
    change: { kind: ChangeKind; before: LineValues | null; after: LineValues | null; delta: Amount },
  ) {
    const approval = (this.approvalsOf.get(organizationId) ?? []).find((a) => a.id === id && a.status === 'pending');
    if (approval) Object.assign(approval, change);
  }
  async decideApproval(organizationId: string, id: string, status: 'approved' | 'rejected' | 'withdrawn', at: Date, byName: string) {
    const approval = (this.approvalsOf.get(organizationId) ?? []).find((a) => a.id === id && a.status === 'pending');
    if (!approval) return false;
    Object.assign(approval, { status, decidedAt: at, decidedByName: byName });
    return true;
  }
  async tenantTotals(organizationId: string) {
    return [...(this.totalsOf.get(organizationId) ?? [])];
  }
  async saveTenantTotals(organizationId: string, totals: readonly TenantTotal[]) {
    const byTenant = new Map((this.totalsOf.get(organizationId) ?? []).map((t) => [t.tenantId, t]));
    for (const t of totals) byTenant.set(t.tenantId, t);
    this.totalsOf.set(organizationId, [...byTenant.values()]);
  }
  async snapshots(organizationId: string) {
    return (this.snapshotsOf.get(organizationId) ?? []).map((s) => ({ ...s.snapshot, lines: s.lines.length }));
  }
  async snapshot(organizationId: string, period: string) {
    return (await this.snapshots(organizationId)).find((s) => s.period === period) ?? null;
  }
  async snapshotLines(organizationId: string, snapshotId: string) {
    return (this.snapshotsOf.get(organizationId) ?? []).find((s) => s.snapshot.id === snapshotId)?.lines ?? [];
  }
  async createSnapshot(organizationId: string, snapshot: Omit<Snapshot, 'lines'>, lines: readonly SnapshotLine[]) {
    if (await this.snapshot(organizationId, snapshot.period)) return false;
    this.snapshotsOf.set(organizationId, [...(this.snapshotsOf.get(organizationId) ?? []), { snapshot, lines: [...lines] }]);
    return true;
  }
}

export class FakeBillableLicences extends BillableLicences {
  customersList: (BillingCustomer & { organizationId: string })[] = [];
  licences: (BillableLicence & { organizationId: string })[] = [];
  zone = 'UTC';

  async customers(organizationId: string) {
    return this.customersList.filter((c) => c.organizationId === organizationId).map(({ organizationId: _, ...c }) => c);
  }
  async customer(organizationId: string, tenantId: string) {
    return (await this.customers(organizationId)).find((c) => c.tenantId === tenantId.toLowerCase()) ?? null;
  }
  async ofTenant(organizationId: string, tenantId: string) {
    return this.licences
      .filter((l) => l.organizationId === organizationId && l.tenantId === tenantId)
      .map(({ organizationId: _, ...l }) => l);
  }
  async *all(organizationId: string) {
    yield this.licences.filter((l) => l.organizationId === organizationId).map(({ organizationId: _, ...l }) => l);
  }
  async timeZone() {
    return this.zone;
  }
}

export class RecordingOutbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}
