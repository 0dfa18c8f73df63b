import { EventOutbox, type IntegrationEvent } from '../../../../shared/application/integration-event';
import { LicensedTenantRepository } from '../../application/ports/licensed-tenant.repository';
import { type DirectorySubscription } from '../../domain/directory-subscription';
import { LicensedTenant, type DirectoryReadState } from '../../domain/licensed-tenant';
import { type TenantLicence } from '../../domain/tenant-licence';
import { type TenantSubscription } from '../../domain/tenant-subscription';

// Stores copies, like a database: what a use case changes counts only once it is saved. Counts every row
// written, so tests can prove a read with nothing new writes none.
export class InMemoryLicensedTenants extends LicensedTenantRepository {
  readonly licences = new Map<string, TenantLicence>();
  readonly subscriptions = new Map<string, TenantSubscription>();
  readonly directorySubscriptions = new Map<string, DirectorySubscription>();
  readonly reads = new Map<string, Date>();
  readonly directoryReads = new Map<string, DirectoryReadState>();
  writes = { inserted: 0, updated: 0, deleted: 0, reads: 0 };

  async load(organizationId: string, tenantId: string, subscriptionIds: readonly string[]): Promise<LicensedTenant> {
    const licences = [...this.licences.values()].filter((l) => l.organizationId === organizationId && l.tenantId === tenantId).map(copy);
    const subscriptions = [...this.subscriptions.values()]
      .filter((s) => s.organizationId === organizationId && (s.tenantId === tenantId || subscriptionIds.includes(s.subscriptionId)))
      .map(copy);
    const directory = [...this.directorySubscriptions.values()]
      .filter((s) => s.organizationId === organizationId && s.tenantId === tenantId)
      .map(copy);
    const directoryRead = this.directoryReads.get(`${organizationId}/${tenantId}`) ?? { readAt: null, failure: null };
    return new LicensedTenant(organizationId, tenantId, licences, subscriptions, this.reads.get(`${organizationId}/${tenantId}`) ?? null, {
      subscriptions: directory,
      ...structuredClone(directoryRead),
    });
  }

  async save(tenant: LicensedTenant): Promise<void> {
    for (const [table, changes] of [
      [this.licences, tenant.changes.licences],
      [this.subscriptions, tenant.changes.subscriptions],
      [this.directorySubscriptions, tenant.changes.directorySubscriptions],
    ] as const) {
      for (const row of [...changes.added, ...changes.updated]) (table as Map<string, object>).set(row.id, copy(row));
      for (const row of changes.removed) table.delete(row.id);
      this.writes.inserted += changes.added.length;
      this.writes.updated += changes.updated.length;
      this.writes.deleted += changes.removed.length;
    }
    if (tenant.changes.readAt) {
      this.reads.set(`${tenant.organizationId}/${tenant.tenantId}`, tenant.changes.readAt);
      this.directoryReads.set(`${tenant.organizationId}/${tenant.tenantId}`, structuredClone(tenant.changes.directoryRead));
      this.writes.reads++;
    }
  }

  licencesOf(organizationId: string, tenantId: string): TenantLicence[] {
    return [...this.licences.values()]
      .filter((l) => l.organizationId === organizationId && l.tenantId === tenantId)
      .sort((a, b) => (a.skuId < b.skuId ? -1 : 1));
  }

  subscriptionsOf(organizationId: string, tenantId: string): TenantSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.organizationId === organizationId && s.tenantId === tenantId);
  }

  directorySubscriptionsOf(organizationId: string, tenantId: string): DirectorySubscription[] {
    return [...this.directorySubscriptions.values()]
      .filter((s) => s.organizationId === organizationId && s.tenantId === tenantId)
      .sort((a, b) => (a.directorySubscriptionId < b.directorySubscriptionId ? -1 : 1));
  }
}

export class RecordingOutbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}

function copy<Row extends object>(row: Row): Row {
  return Object.assign(Object.create(Object.getPrototypeOf(row) as object) as Row, structuredClone({ ...row }));
}
