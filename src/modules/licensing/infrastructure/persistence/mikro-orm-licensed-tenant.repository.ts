import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { LicensedTenantRepository } from '../../application/ports/licensed-tenant.repository';
import { DirectorySubscription } from '../../domain/directory-subscription';
import { LicensedTenant } from '../../domain/licensed-tenant';
import { TenantLicence } from '../../domain/tenant-licence';
import { TenantSubscription } from '../../domain/tenant-subscription';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';

// Licences, subscriptions and directory subscriptions go through the unit of work: new rows become one multi-row
// INSERT per table, changed rows one batched UPDATE of the changed columns, vanished rows one DELETE … WHERE id IN
// (…), all at commit. Rows a read left unchanged are not touched. The read times (the directory's too) are one
// upsert of their own.
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
      subscriptionIds.length > 0
        ? { organizationId, $or: [{ tenantId }, { subscriptionId: { $in: [...subscriptionIds] } }] }
        : { organizationId, tenantId },
    );
    const directorySubscriptions = await this.em.find(DirectorySubscription, { organizationId, tenantId });
    const [read] = await rawSql<ReadRow>(
      this.em,
      'select read_at, directory_read_at, directory_failure, directory_failed_at, licences_failure, licences_failed_at from tenant_licence_reads where organization_id = ? and tenant_id = ?',
      [organizationId, tenantId],
    );
    const failedAt = read ? sqlTime(read.directory_failed_at) : null;
    const licencesFailedAt = read ? sqlTime(read.licences_failed_at) : null;
    return new LicensedTenant(
      organizationId,
      tenantId,
      licences,
      subscriptions,
      read ? sqlTime(read.read_at) : null,
      {
        subscriptions: directorySubscriptions,
        readAt: read ? sqlTime(read.directory_read_at) : null,
        failure: read?.directory_failure && failedAt ? { reason: read.directory_failure, at: failedAt } : null,
      },
      read?.licences_failure && licencesFailedAt ? { reason: read.licences_failure, at: licencesFailedAt } : null,
    );
  }

  async save(tenant: LicensedTenant): Promise<void> {
    const { licences, subscriptions, directorySubscriptions, readAt, directoryRead, licencesFailure } = tenant.changes;
    for (const row of [...licences.added, ...subscriptions.added, ...directorySubscriptions.added]) this.em.persist(row);
    for (const row of [...licences.removed, ...subscriptions.removed, ...directorySubscriptions.removed]) this.em.remove(row);
    if (readAt) {
      await rawSql(
        this.em,
        `insert into tenant_licence_reads (organization_id, tenant_id, read_at, directory_read_at, directory_failure, directory_failed_at, licences_failure, licences_failed_at)
         values (?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (organization_id, tenant_id) do update set read_at = excluded.read_at, directory_read_at = excluded.directory_read_at,
           directory_failure = excluded.directory_failure, directory_failed_at = excluded.directory_failed_at,
           licences_failure = excluded.licences_failure, licences_failed_at = excluded.licences_failed_at`,
        [
          tenant.organizationId,
          tenant.tenantId,
          readAt,
          directoryRead.readAt,
          directoryRead.failure?.reason ?? null,
          directoryRead.failure?.at ?? null,
          licencesFailure?.reason ?? null,
          licencesFailure?.at ?? null,
        ],
      );
    }
  }
}

interface ReadRow {
  read_at: string;
  directory_read_at: string | null;
  directory_failure: string | null;
  directory_failed_at: string | null;
  licences_failure: string | null;
  licences_failed_at: string | null;
}
