import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { eventually } from '../../../../../test/support/eventually';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import type { AppConfig } from '../../../../config/app-config';
import { AesGcmSecretCipher } from '../../../../shared/infrastructure/crypto/aes-gcm-secret-cipher';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { FixedClock } from '../../../../shared/testing/fakes';
import { DelegatedAdmin } from '../../domain/delegated-admin';
import { DelegatedAdminSchema } from './delegated-admin.schema';
import { MikroOrmDelegatedAdminRepository, PostgresRefreshTokenStore } from './mikro-orm-delegated-admin.repository';

describe('delegated admins and their encrypted refresh tokens on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let admins: MikroOrmDelegatedAdminRepository;
  let tokens: PostgresRefreshTokenStore;
  let transaction: MikroOrmTransaction;
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { entities: [DelegatedAdminSchema], allowGlobalContext: true }));
    await orm.em
      .getConnection()
      .execute(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('${orgA}', '${randomUUID()}', 'A', now()), ('${orgB}', '${randomUUID()}', 'B', now())`,
      );
    admins = new MikroOrmDelegatedAdminRepository(orm.em);
    tokens = new PostgresRefreshTokenStore(
      orm.em,
      new AesGcmSecretCipher({ tokenEncryptionKey: randomBytes(32) } as AppConfig),
      new FixedClock(new Date('2026-11-26T00:00:00Z')),
    );
    transaction = new MikroOrmTransaction(orm.em);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function connect(organizationId: string, refreshToken: string): Promise<DelegatedAdmin> {
    const admin = DelegatedAdmin.grant({
      id: randomUUID(),
      organizationId,
      account: {
        partnerTenantId: randomUUID(),
        partnerDirectoryName: 'Contoso Partners',
        objectId: randomUUID(),
        userPrincipalName: 's365@contoso-partners.example',
        displayName: 'S365',
      },
      grantedBy: { userId: randomUUID(), name: 'Admin' },
      now: new Date(),
    });
    await transaction.run(async () => {
      admins.add(admin);
      await tokens.save(organizationId, admin.id, refreshToken);
    });
    orm.em.clear();
    return admin;
  }

  it('stores the refresh token only encrypted, and reads it back for its own organization only', async () => {
    const secret = `0.ARwA-${randomBytes(24).toString('base64url')}`;
    const admin = await connect(orgA, secret);
    const [row] = await orm.em
      .getConnection()
      .execute<{ refresh_token_ciphertext: string }[]>(
        'select refresh_token_ciphertext from delegated_admin_tokens where delegated_admin_id = ?',
        [admin.id],
      );
    expect(row.refresh_token_ciphertext).toMatch(/^v1\./);
    expect(row.refresh_token_ciphertext).not.toContain(secret);
    expect(await transaction.run(() => tokens.readForRotation(orgA, admin.id))).toBe(secret);
    expect(await transaction.run(() => tokens.readForRotation(orgB, admin.id))).toBeNull();
    expect(await admins.findById(orgB, admin.id)).toBeNull();
  });

  it('lets one rotation of a delegated admin run at a time across connections (row lock)', async () => {
    const admin = await connect(orgA, 'refresh-0');
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = orm.em.fork().transactional(async (em) => {
      const store = new PostgresRefreshTokenStore(
        em,
        (tokens as unknown as { cipher: AesGcmSecretCipher }).cipher,
        new FixedClock(new Date()),
      );
      await store.readForRotation(orgA, admin.id);
      order.push('first read');
      await firstHolds;
      await store.save(orgA, admin.id, 'refresh-1');
      order.push('first saved');
    });
    await eventually(() => expect(order).toEqual(['first read']));
    const second = orm.em.fork().transactional(async (em) => {
      const store = new PostgresRefreshTokenStore(
        em,
        (tokens as unknown as { cipher: AesGcmSecretCipher }).cipher,
        new FixedClock(new Date()),
      );
      const token = await store.readForRotation(orgA, admin.id);
      order.push(`second read ${token}`);
    });
    // Release the first only once PostgreSQL shows the second waiting on the row lock.
    await eventually(async () => {
      const [{ waiting }] = await orm.em
        .getConnection()
        .execute<{ waiting: number }[]>(
          `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
      expect(waiting).toBeGreaterThan(0);
    });
    expect(order).toEqual(['first read']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first read', 'first saved', 'second read refresh-1']);
  });

  it('lists connections whose token was not rotated since a date, across organizations', async () => {
    const stale = await connect(orgB, 'old');
    const found = await tokens.listStale(new Date('2026-11-27T00:00:00Z'), 1000);
    expect(found).toContainEqual(expect.objectContaining({ organizationId: orgB, delegatedAdminId: stale.id }));
    expect(await tokens.listStale(new Date('2026-11-25T00:00:00Z'), 1000)).toEqual([]);
  });
});
