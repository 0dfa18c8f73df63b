import type { DirectorySubscriptionsRead, SkuLicenceSnapshot, SubscriptionSnapshot } from '../../../shared/domain/licence-readings';
import { DirectorySubscription, idKey } from './directory-subscription';
import { licenceTotals, type LicenceTotals } from './licence-totals';
import { matchSubscriptions } from './subscription-matching';
import { skuKey, TenantLicence } from './tenant-licence';
import { TenantSubscription } from './tenant-subscription';

export interface LicencesRead {
  skus: readonly SkuLicenceSnapshot[];
  // Why Partner Center would not list the licences (no licence-reading GDAP role): `skus` then says nothing, and the
  // stored licences stay as last read (never zeroed, never "removed"), marked unreadable.
  licencesUnreadable?: string;
  subscriptions: readonly SubscriptionSnapshot[];
  // Absent: this read says nothing about the customer's directory (what is stored stays as it is).
  directory?: DirectorySubscriptionsRead;
  readAt: Date;
}

// Whether the stored directory subscriptions are current: when they were last read, and why the latest attempt
// since could not read them (the rows then stay those of `readAt`).
export interface DirectoryReadState {
  readAt: Date | null;
  failure: { reason: string; at: Date } | null;
}

export interface TenantDirectory extends DirectoryReadState {
  subscriptions: DirectorySubscription[];
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
  // Why the licences are not readable since this read; null: they were read.
  licencesUnreadable?: string | null;
}

// Why the latest read could not list the licences, and when; null once a read lists them again.
export type LicenceReadFailure = { reason: string; at: Date } | null;

// The licences and subscriptions of one customer tenant, and when they were last read. Each read replaces the
// picture: SKUs and subscriptions Partner Center (or the directory) no longer lists are gone; what it says again
// unchanged is left untouched (no write), so `changedAt` tells when something really changed. A directory that
// could not be read keeps its last known subscriptions, with the reason.
export class LicensedTenant {
  private licenceChanges: RowChanges<TenantLicence> = noChanges();
  private subscriptionChanges: RowChanges<TenantSubscription> = noChanges();
  private directoryChanges: RowChanges<DirectorySubscription> = noChanges();
  private readRecorded = false;

  constructor(
    readonly organizationId: string,
    readonly tenantId: string,
    private licenceRows: TenantLicence[],
    // The tenant's subscriptions, plus any other of the organization's subscriptions the read now places here.
    private subscriptionRows: TenantSubscription[],
    private lastRead: Date | null,
    private directory: TenantDirectory = { subscriptions: [], readAt: null, failure: null },
    private licencesFailure: LicenceReadFailure = null,
  ) {}

  get licenceReadFailure(): LicenceReadFailure {
    return this.licencesFailure;
  }

  get licences(): readonly TenantLicence[] {
    return this.licenceRows;
  }

  get subscriptions(): readonly TenantSubscription[] {
    return this.subscriptionRows.filter((s) => s.tenantId === this.tenantId);
  }

  get lastReadAt(): Date | null {
    return this.lastRead;
  }

  get directorySubscriptions(): readonly DirectorySubscription[] {
    return this.directory.subscriptions;
  }

  get directoryRead(): DirectoryReadState {
    return { readAt: this.directory.readAt, failure: this.directory.failure };
  }

  // What the repository must write (empty until `record` changes something). With `readAt`, the directory's read
  // state is written too.
  get changes(): {
    licences: RowChanges<TenantLicence>;
    subscriptions: RowChanges<TenantSubscription>;
    directorySubscriptions: RowChanges<DirectorySubscription>;
    readAt: Date | null;
    directoryRead: DirectoryReadState;
    licencesFailure: LicenceReadFailure;
  } {
    return {
      licences: this.licenceChanges,
      subscriptions: this.subscriptionChanges,
      directorySubscriptions: this.directoryChanges,
      readAt: this.readRecorded ? this.lastRead : null,
      directoryRead: this.directoryRead,
      licencesFailure: this.licencesFailure,
    };
  }

  totals(): LicenceTotals {
    return licenceTotals(this.licenceRows);
  }

  // Microsoft's catalogue title of each SKU this tenant's subscriptions are of, by SKU key: the directory subscription
  // naming a subscription gives its SKU (Partner Center's subscription carries none). One title per SKU.
  catalogueNames(): Map<string, string> {
    const partnerCenter = this.subscriptions.map((s) => ({ id: s.subscriptionId, name: s.catalogueName?.trim() }));
    const names = new Map<string, string>();
    for (const { subscription, skuId } of matchSubscriptions({ partnerCenter, directory: this.directory.subscriptions, skuIds: [] })
      .partnerCenter) {
      const known = skuId ? names.get(skuId) : undefined;
      if (skuId && subscription.name && (known === undefined || subscription.name < known)) names.set(skuId, subscription.name);
    }
    return names;
  }

  record(read: LicencesRead, newId: () => string): RecordingOutcome {
    if (this.lastRead && read.readAt.getTime() < this.lastRead.getTime()) {
      return { outcome: 'stale', changed: false, totals: this.totals(), licencesUnreadable: this.licencesFailure?.reason ?? null };
    }
    if (read.licencesUnreadable === undefined) {
      this.recordLicences(read, newId);
      this.licencesFailure = null;
    } else {
      this.licencesFailure = { reason: read.licencesUnreadable, at: read.readAt };
    }
    this.recordSubscriptions(read, newId);
    this.recordDirectory(read, newId);
    if (read.licencesUnreadable === undefined) this.recordLockedOut(read);
    this.lastRead = read.readAt;
    this.readRecorded = true;
    return {
      outcome: 'recorded',
      changed: [this.licenceChanges, this.subscriptionChanges, this.directoryChanges].some(hasChanges),
      totals: this.totals(),
      licencesUnreadable: this.licencesFailure?.reason ?? null,
    };
  }

  // Locked-out units come from the directory (Graph prepaidUnits.lockedOut), not Partner Center: applied to the
  // licences Partner Center listed, when the directory could be read this time.
  private recordLockedOut(read: LicencesRead): void {
    if (!read.directory || !('subscriptions' in read.directory) || !read.directory.skuUnits) return;
    const lockedOut = new Map(read.directory.skuUnits.map((units) => [skuKey(units.skuId), units.lockedOut]));
    for (const licence of this.licenceRows) {
      if (!licence.applyLockedOut(lockedOut.get(licence.skuId) ?? 0, read.readAt)) continue;
      if (!this.licenceChanges.added.includes(licence) && !this.licenceChanges.updated.includes(licence))
        this.licenceChanges.updated.push(licence);
    }
  }

  private recordLicences(read: LicencesRead, newId: () => string): void {
    // One row per SKU: should Partner Center list a SKU twice, the last entry wins.
    const incoming = new Map(read.skus.map((sku) => [skuKey(sku.skuId), sku]));
    const existing = new Map(this.licenceRows.map((l) => [l.skuId, l]));
    const changes = noChanges<TenantLicence>();
    for (const [key, sku] of incoming) {
      const licence = existing.get(key);
      if (!licence)
        changes.added.push(
          TenantLicence.fromSnapshot({ id: newId(), organizationId: this.organizationId, tenantId: this.tenantId, sku, at: read.readAt }),
        );
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
      if (!subscription)
        changes.added.push(
          TenantSubscription.fromSnapshot({
            id: newId(),
            organizationId: this.organizationId,
            tenantId: this.tenantId,
            subscription: snapshot,
            at: read.readAt,
          }),
        );
      else if (subscription.apply(this.tenantId, snapshot, read.readAt)) changes.updated.push(subscription);
    }
    // Only this tenant's own subscriptions can vanish from its read.
    changes.removed = this.subscriptionRows.filter((s) => s.tenantId === this.tenantId && !incoming.has(s.subscriptionId));
    this.subscriptionRows = [...this.subscriptionRows.filter((s) => !changes.removed.includes(s)), ...changes.added];
    this.subscriptionChanges = changes;
  }

  private recordDirectory(read: LicencesRead, newId: () => string): void {
    if (!read.directory) return;
    if ('unreadable' in read.directory) {
      this.directory = { ...this.directory, failure: { reason: read.directory.unreadable, at: read.readAt } };
      return;
    }
    // One row per directory subscription: should Graph list one twice, the last entry wins.
    const incoming = new Map(read.directory.subscriptions.map((s) => [idKey(s.id), s]));
    const existing = new Map(this.directory.subscriptions.map((s) => [s.directorySubscriptionId, s]));
    const changes = noChanges<DirectorySubscription>();
    for (const [key, snapshot] of incoming) {
      const subscription = existing.get(key);
      if (!subscription)
        changes.added.push(
          DirectorySubscription.fromSnapshot({
            id: newId(),
            organizationId: this.organizationId,
            tenantId: this.tenantId,
            subscription: snapshot,
            at: read.readAt,
          }),
        );
      else if (subscription.apply(snapshot, read.readAt)) changes.updated.push(subscription);
    }
    changes.removed = this.directory.subscriptions.filter((s) => !incoming.has(s.directorySubscriptionId));
    this.directory = {
      subscriptions: [...this.directory.subscriptions.filter((s) => incoming.has(s.directorySubscriptionId)), ...changes.added],
      readAt: read.readAt,
      failure: null,
    };
    this.directoryChanges = changes;
  }
}

function noChanges<Row>(): RowChanges<Row> {
  return { added: [], updated: [], removed: [] };
}

function hasChanges(changes: RowChanges<unknown>): boolean {
  return changes.added.length + changes.updated.length + changes.removed.length > 0;
}
