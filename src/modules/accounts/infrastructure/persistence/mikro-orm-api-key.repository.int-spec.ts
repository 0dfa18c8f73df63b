import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { ApiKey } from '../../domain/api-key';
import { generateApiKeyToken, hashApiKeySecret } from '../../domain/api-key-token';
import { OrganizationSchema, StaffUserSchema } from './accounts.schema';
import { ApiKeySchema } from './api-key.schema';
import { MikroOrmApiKeyRepository } from './mikro-orm-api-key.repository';

const minute = (iso: string) => new Date(iso);

describe('API keys on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(
      ormOptions(db.url, { entities: [OrganizationSchema, StaffUserSchema, ApiKeySchema], allowGlobalContext: true }),
    );
    for (const [id, tenant] of [
      [orgA, 'aaaaaaaa-0000-0000-0000-0000000000a1'],
      [orgB, 'aaaaaaaa-0000-0000-0000-0000000000b1'],
    ]) {
      await orm.em
        .getConnection()
        .execute('insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, ?, now())', [id, tenant, `Org ${id}`]);
    }
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function storedKey(organizationId: string, name = 'Billing export'): Promise<ApiKey> {
    const token = generateApiKeyToken();
    const key = ApiKey.issue({
      id: randomUUID(),
      organizationId,
      publicId: token.publicId,
      secretHash: hashApiKeySecret(token.secret),
      name,
      scopes: ['read:tenants', 'write:sync'],
      createdBy: { userId: randomUUID(), name: 'Alice' },
      now: new Date('2026-11-27T09:00:00Z'),
    });
    const em = orm.em.fork();
    new MikroOrmApiKeyRepository(em).add(key);
    await em.flush();
    return key;
  }

  it('stores a key with its scopes and finds it by public id, and only within its organization by id', async () => {
    const key = await storedKey(orgA);
    const repository = new MikroOrmApiKeyRepository(orm.em.fork());
    expect(await repository.findByPublicId(key.publicId)).toMatchObject({
      id: key.id,
      organizationId: orgA,
      scopes: ['read:tenants', 'write:sync'],
      secretHash: key.secretHash,
      revokedAt: null,
    });
    expect(await repository.findById(orgA, key.id)).not.toBeNull();
    expect(await repository.findById(orgB, key.id)).toBeNull();
    expect((await repository.listByOrganization(orgB)).map((k) => k.id)).not.toContain(key.id);
  });

  it('counts requests per key and minute atomically, even when they arrive at once on separate connections', async () => {
    const key = await storedKey(orgA);
    const at = minute('2026-11-27T10:00:05Z');
    const counts = await Promise.all(
      Array.from({ length: 20 }, () => new MikroOrmApiKeyRepository(orm.em.fork()).countRequest(key, minute('2026-11-27T10:00:00Z'), at)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const other = await storedKey(orgA);
    expect(await new MikroOrmApiKeyRepository(orm.em.fork()).countRequest(other, minute('2026-11-27T10:00:00Z'), at)).toBe(1);
  });

  it('answers every request at a minute boundary, where requests of both minutes arrive at once', async () => {
    const key = await storedKey(orgA);
    const windows = [minute('2026-11-27T10:00:00Z'), minute('2026-11-27T10:01:00Z')];
    const counts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        new MikroOrmApiKeyRepository(orm.em.fork()).countRequest(
          key,
          windows[i % 2],
          new Date(windows[i % 2].getTime() + 59_000 * ((i + 1) % 2)),
        ),
      ),
    );
    expect(counts.every((c) => Number.isInteger(c) && c >= 1)).toBe(true);
    expect(counts.filter((_, i) => i % 2 === 1).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('starts again at 1 in the next minute and keeps only the current window of a key', async () => {
    const key = await storedKey(orgA);
    const repository = new MikroOrmApiKeyRepository(orm.em.fork());
    await repository.countRequest(key, minute('2026-11-27T10:00:00Z'), minute('2026-11-27T10:00:30Z'));
    await repository.countRequest(key, minute('2026-11-27T10:00:00Z'), minute('2026-11-27T10:00:40Z'));
    expect(await repository.countRequest(key, minute('2026-11-27T10:01:00Z'), minute('2026-11-27T10:01:01Z'))).toBe(1);
    const rows = await orm.em
      .getConnection()
      .execute<{ count: number }[]>('select count from api_key_request_counts where api_key_id = ?', [key.id]);
    expect(rows).toEqual([{ count: 1 }]);
  });

  it('records the last use, writing it at most once a minute', async () => {
    const key = await storedKey(orgA);
    const repository = new MikroOrmApiKeyRepository(orm.em.fork());
    const lastUsed = async () =>
      (await orm.em.getConnection().execute<{ last_used_at: Date | null }[]>('select last_used_at from api_keys where id = ?', [key.id]))[0]
        .last_used_at;
    expect(await lastUsed()).toBeNull();
    await repository.countRequest(key, minute('2026-11-27T10:00:00Z'), minute('2026-11-27T10:00:10Z'));
    expect(new Date((await lastUsed())!)).toEqual(minute('2026-11-27T10:00:10Z'));
    await repository.countRequest(key, minute('2026-11-27T10:00:00Z'), minute('2026-11-27T10:00:50Z'));
    expect(new Date((await lastUsed())!)).toEqual(minute('2026-11-27T10:00:10Z'));
    await repository.countRequest(key, minute('2026-11-27T10:01:00Z'), minute('2026-11-27T10:01:10Z'));
    expect(new Date((await lastUsed())!)).toEqual(minute('2026-11-27T10:01:10Z'));
  });
});
