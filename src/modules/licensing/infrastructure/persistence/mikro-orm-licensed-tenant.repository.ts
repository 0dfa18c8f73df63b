import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { LicensedTenantRepository } from '../../application/ports/licensed-tenant.repository';
import { LicensedTenant } from '../../domain/licensed-tenant';
import { TenantLicence } from '../../domain/tenant-licence';
import { TenantSubscription } from '../../domain/tenant-subscription';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';

// Licences and subscriptions go through the unit of work: new rows become one multi-row INSERT per table, changed
// rows one batched UPDATE of the changed columns, vanished rows one DELETE … WHERE id IN (…), all at commit. Rows a
// read left unchanged are not touched. The read time is one upsert of its own.
@Injectable()
export class MikroOrmLicensedTenantRepository extends LicensedTenantRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async load(organizationId: string, tenantId: string, subscriptionIds: readonly string[]): Promise<LicensedTenant> {
    // Two imports may read the same tenant at once (two delegated admins of one partner): recordings of one
    // tenant take turns, across every app instance, until the transaction ends.
    await rawSql(this.em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [`licensing:${organizationId}:${tenantId}`]);
    const licences = await this.em.find(TenantLicence, { organizationId, tenantId });
    const subscriptions = await this.em.find(
      TenantSubscription,
      subscriptionIds.length > 0 ? { organizationId, $or: [{ tenantId }, { subscriptionId: { $in: [...subscriptionIds] } }] } : { organizationId, tenantId },
    );
    const [read] = await rawSql<{ read_at: string }>(this.em, 'select read_at from tenant_licence_reads where organization_id = ? and tenant_id = ?', [organizationId, tenantId]);
    return new LicensedTenant(organizationId, tenantId, licences, subscriptions, read ? sqlTime(read.read_at) : null);
  }

  async save(tenant: LicensedTenant): Promise<void> {
    const { licences, subscriptions, readAt } = tenant.changes;
    for (const row of [...licences.added, ...subscriptions.added]) this.em.persist(row);
    for (const row of [...licences.removed, ...subscriptions.removed]) this.em.remove(row);
    if (readAt) {
      await rawSql(this.em, 
        `insert into tenant_licence_reads (organization_id, tenant_id, read_at) values (?, ?, ?)
         on conflict (organization_id, tenant_id) do update set read_at = excluded.read_at`,
        [tenant.organizationId, tenant.tenantId, readAt],
      );
    }
  }

}
