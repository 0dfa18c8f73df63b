import { randomUUID } from 'node:crypto';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { OutboxMessageSchema } from '../../../../shared/infrastructure/jobs/outbox-message.schema';
import { DirectorySubscriptionSchema } from '../persistence/directory-subscription.schema';
import { TenantLicenceSchema } from '../persistence/tenant-licence.schema';
import { TenantSubscriptionSchema } from '../persistence/tenant-subscription.schema';

// The licensing int-specs' database: fresh and migrated, MikroORM over the licensing tables and the outbox, and the
// given organizations stored (licence rows need theirs).
export async function licensingTestDatabase(
  organizationIds: readonly string[],
  options: Partial<Options> = {},
): Promise<{ db: TestDatabase; orm: MikroORM }> {
  const db = await createTestDatabase();
  const orm = await MikroORM.init(
    ormOptions(db.url, {
      entities: [TenantLicenceSchema, TenantSubscriptionSchema, DirectorySubscriptionSchema, OutboxMessageSchema],
      allowGlobalContext: true,
      ...options,
    }),
  );
  for (const [i, id] of organizationIds.entries())
    await orm.em
      .getConnection()
      .execute(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, ?, now())`, [
        id,
        randomUUID(),
        `Organization ${i + 1}`,
      ]);
  return { db, orm };
}
