import type { SkuLicenceSnapshot, SubscriptionSnapshot } from '../../partner-center';
import { licenceTotals, type LicenceTotals } from './licence-totals';
import { skuKey, TenantLicence } from './tenant-licence';
import { TenantSubscription } from './tenant-subscription';

export interface LicencesRead {
  skus: readonly SkuLicenceSnapshot[];
  subscriptions: readonly SubscriptionSnapshot[];
  readAt: Date;
}

// What a read changed, row by row: the repository writes exactly these and nothing else.
export interface RowChanges<Row> {
  added: Row[];
  updated: Row[];
  removed: Row[];
}

export interface RecordingOutcome {
  // 'stale': an older read arrived after a newer one was recorded (events may be redelivered out of order); it
  // is ignored and the totals are those of the newer read.
  outcome: 'recorded' | 'stale';
  changed: boolean;
  totals: LicenceTotals;
}

// The licences and subscriptions of one customer tenant, and when they were last read. Each read replaces the
// picture: SKUs and subscriptions Partner Center no longer lists are gone; what it says again unchanged is left
// untouched (no write), so `changedAt` tells when something really changed.
export class LicensedTenant {
  private licenceChanges: RowChanges<TenantLicence> = noChanges();
  private subscriptionChanges: RowChanges<TenantSubscription> = noChanges();
  private readRecorded = false;

  constructor(
    readonly organizationId: string,
    readonly tenantId: string,
    private licenceRows: TenantLicence[],
    // The tenant's subscriptions, plus any other of the organization's subscriptions the read now places here.
    private subscriptionRows: TenantSubscription[],
    private lastRead: Date | null,
  ) {}

  get licences(): readonly TenantLicence[] {
    return this.licenceRows;
  }

  get subscriptions(): readonly TenantSubscription[] {
    return this.subscriptionRows.filter((s) => s.tenantId === this.tenantId);
  }

  get lastReadAt(): Date | null {
    return this.lastRead;
  }

  // What the repository must write (empty until `record` changes something).
  get changes(): { licences: RowChanges<TenantLicence>; subscriptions: RowChanges<TenantSubscription>; readAt: Date | null } {
    return { licences: this.licenceChanges, subscriptions: this.subscriptionChanges, readAt: this.readRecorded ? this.lastRead : null };
  }

  totals(): LicenceTotals {
    return licenceTotals(this.licenceRows);
  }

  record(read: LicencesRead, newId: () => string): RecordingOutcome {
    if (this.lastRead && read.readAt.getTime() < this.lastRead.getTime()) return { outcome: 'stale', changed: false, totals: this.totals() };
    this.recordLicences(read, newId);
    this.recordSubscriptions(read, newId);
    this.lastRead = read.readAt;
    this.readRecorded = true;
    return { outcome: 'recorded', changed: hasChanges(this.licenceChanges) || hasChanges(this.subscriptionChanges), totals: this.totals() };
  }

  private recordLicences(read: LicencesRead, newId: () => string): void {
    // One row per SKU: should Partner Center list a SKU twice, the last entry wins.
    const incoming = new Map(read.skus.map((sku) => [skuKey(sku.skuId), sku]));
    const existing = new Map(this.licenceRows.map((l) => [l.skuId, l]));
    const changes = noChanges<TenantLicence>();
    for (const [key, sku] of incoming) {
      const licence = existing.get(key);
      if (!licence) changes.added.push(TenantLicence.fromSnapshot({ id: newId(), organizationId: this.organizationId, tenantId: this.tenantId, sku, at: read.readAt }));
      else if (licence.apply(sku, read.readAt)) changes.updated.push(licence);
    }
    changes.removed = this.licenceRows.filter((l) => !incoming.has(l.skuId));
    this.licenceRows = [...this.licenceRows.filter((l) => incoming.has(l.skuId)), ...changes.added];
    this.licenceChanges = changes;
  }

  private recordSubscriptions(read: LicencesRead, newId: () => string): void {
    const incoming = new Map(read.subscriptions.map((s) => [s.id, s]));
    const existing = new Map(this.subscriptionRows.map((s) => [s.subscriptionId, s]));
    const changes = noChanges<TenantSubscription>();
    for (const [id, snapshot] of incoming) {
      const subscription = existing.get(id);
      if (!subscription) changes.added.push(TenantSubscription.fromSnapshot({ id: newId(), organizationId: this.organizationId, tenantId: this.tenantId, subscription: snapshot, at: read.readAt }));
      else if (subscription.apply(this.tenantId, snapshot, read.readAt)) changes.updated.push(subscription);
    }
    // Only this tenant's own subscriptions can vanish from its read.
    changes.removed = this.subscriptionRows.filter((s) => s.tenantId === this.tenantId && !incoming.has(s.subscriptionId));
    this.subscriptionRows = [...this.subscriptionRows.filter((s) => !changes.removed.includes(s)), ...changes.added];
    this.subscriptionChanges = changes;
  }
}

function noChanges<Row>(): RowChanges<Row> {
  return { added: [], updated: [], removed: [] };
}

function hasChanges(changes: RowChanges<unknown>): boolean {
  return changes.added.length + changes.updated.length + changes.removed.length > 0;
}
