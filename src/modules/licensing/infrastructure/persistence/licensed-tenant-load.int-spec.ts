import { randomUUID } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/postgresql';
import type { TestDatabase } from '../../../../../test/support/test-database';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { MikroOrmEventOutbox } from '../../../../shared/infrastructure/jobs/mikro-orm-event-outbox';
import { FixedClock } from '../../../../shared/testing/fakes';
import { RecordTenantLicencesUseCase } from '../../application/record-tenant-licences.use-case';
import { DirectorySubscription } from '../../domain/directory-subscription';
import { TenantLicence } from '../../domain/tenant-licence';
import { TenantSubscription } from '../../domain/tenant-subscription';
import { directorySubscriptionSnapshot, skuSnapshot, subscriptionSnapshot } from '../testing/licence-snapshots';
import { licensingTestDatabase } from '../testing/licensing-test-database';
import { MikroOrmLicensedTenantRepository } from './mikro-orm-licensed-tenant.repository';

// The repository reads a tenant's rows of three tables and its read stamp in one statement (JSON) instead of three
// entity loads: what it hands the domain must be exactly what em.find hydrates, tricky values included.
describe("a tenant's licences loaded in one statement, compared with the entity path", () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const statements: string[] = [];
  const org = randomUUID();
  const otherOrg = randomUUID();
  const tenant = randomUUID();
  const otherTenant = randomUUID();

  beforeAll(async () => {
    ({ db, orm } = await licensingTestDatabase([org, otherOrg]));
    // Every statement sent, bound (knex) or not (MikroORM's own): round trips counted as the bench counts them.
    orm.em
      .getConnection()
      .getKnex()
      .on('query', (query: { sql: string }) => statements.push(query.sql));
    const sql = (text: string, params: unknown[] = []) => orm.em.getConnection().execute(text, params);
    const tricky = `O'Brien "quoted" \\ back-slash, ünïcode – ✓`;
    // Timestamps with microseconds (PostgreSQL keeps them, JavaScript does not), nulls, quotes, zero and negative units.
    for (const [organizationId, tenantId, sku] of [
      [org, tenant, 'a'],
      [org, tenant, 'b'],
      [otherOrg, tenant, 'a'],
      [org, otherTenant, 'c'],
    ]) {
      await sql(
        `insert into tenant_licences (id, organization_id, tenant_id, sku_id, sku_part_number, partner_center_name, capability_status,
           active_units, warning_units, suspended_units, consumed_units, locked_out_units, changed_at)
         values (?, ?, ?, ?, ?, ?, 'Enabled', 25, 0, -1, 20, 3, '2026-11-26 10:00:00.123456+00')`,
        [randomUUID(), organizationId, tenantId, `sku-${sku}`, tricky, sku === 'a' ? null : tricky],
      );
    }
    const subscription = (organizationId: string, tenantId: string, subscriptionId: string, full: boolean) =>
      sql(
        `insert into tenant_subscriptions (id, organization_id, tenant_id, subscription_id, offer_id, offer_name, friendly_name, quantity,
           unit_type, term_duration, billing_cycle, status, auto_renew_enabled, is_trial, creation_date, effective_start_date,
           commitment_end_date, cancellation_allowed_until_date, refundable_quantity, refundable_until, scheduled_quantity,
           catalogue_product_id, catalogue_sku_id, catalogue_name, changed_at)
         values (?, ?, ?, ?, 'offer', ?, ?, 7, ?, ?, 'monthly', 'active', ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-02-28 23:59:59.999999+00')`,
        [
          randomUUID(),
          organizationId,
          tenantId,
          subscriptionId,
          tricky,
          ...(full
            ? [
                tricky,
                'Licenses',
                'P1Y',
                true,
                '2025-01-01T00:00:00Z',
                '2025-01-01 00:00:00.5+02',
                '2026-01-01T00:00:00Z',
                '2025-01-08T00:00:00Z',
                3,
              ]
            : [null, null, null, false, null, null, null, null, null]),
          full ? '2025-01-04T12:00:00.001Z' : null,
          full ? 0 : null,
          full ? 'CFQ7TTC0LH18' : null,
          full ? '0001' : null,
          full ? tricky : null,
        ],
      );
    await subscription(org, tenant, 'sub-own-full', true);
    await subscription(org, tenant, 'sub-own-bare', false);
    await subscription(org, otherTenant, 'sub-moving', true);
    await subscription(org, otherTenant, 'sub-staying', true);
    await subscription(otherOrg, otherTenant, 'sub-moving', true);
    const directory = (organizationId: string, full: boolean) =>
      sql(
        `insert into tenant_directory_subscriptions (id, organization_id, tenant_id, directory_subscription_id, commerce_subscription_id, sku_id,
           sku_part_number, status, total_licenses, is_trial, created_date_time, next_lifecycle_date_time, owner_tenant_id, sold_by_you, changed_at)
         values (?, ?, ?, ?, ?, 'sku-a', ?, 'Enabled', 0, ?, ?, ?, ?, ?, now())`,
        [
          randomUUID(),
          organizationId,
          tenant,
          randomUUID(),
          full ? tricky : null,
          tricky,
          full,
          full ? '2025-03-01 08:00:00.654321+00' : null,
          full ? '2026-03-01T08:00:00Z' : null,
          full ? randomUUID() : null,
          full ? false : null,
        ],
      );
    await directory(org, true);
    await directory(org, false);
    await directory(otherOrg, true);
    await sql(
      `insert into tenant_licence_reads (organization_id, tenant_id, read_at, directory_read_at, directory_failure, directory_failed_at, licences_failure, licences_failed_at)
       values (?, ?, '2026-11-26 10:00:00.987654+00', null, ?, '2026-11-26 10:00:00.5+00', ?, '2026-11-25 09:00:00+00')`,
      [org, tenant, tricky, tricky],
    );
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  // Every mapped value, the rows in id order: a difference in any column of any row fails.
  function plain(rows: readonly object[]): Record<string, unknown>[] {
    return rows
      .map((row) => ({ ...row }) as Record<string, unknown>)
      .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? `Date(${v.toISOString()})` : v])))
      .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  }

  it('returns exactly the rows and values em.find returns, each org and tenant apart', async () => {
    const em = orm.em.fork();
    statements.length = 0;
    const loaded = await new MikroOrmLicensedTenantRepository(em).load(org, tenant, ['sub-moving', 'sub-unknown']);
    // The lock and one read (five round trips before).
    expect(statements).toHaveLength(2);

    const entities = orm.em.fork();
    const licences = await entities.find(TenantLicence, { organizationId: org, tenantId: tenant });
    const subscriptions = await entities.find(TenantSubscription, {
      organizationId: org,
      $or: [{ tenantId: tenant }, { subscriptionId: { $in: ['sub-moving', 'sub-unknown'] } }],
    });
    const directory = await entities.find(DirectorySubscription, { organizationId: org, tenantId: tenant });
    expect(licences).toHaveLength(2);
    expect(subscriptions).toHaveLength(3);
    expect(directory).toHaveLength(2);

    expect(plain(loaded.licences)).toEqual(plain(licences));
    // loaded.subscriptions lists the tenant's own; the one another tenant holds is there to be moved by a read.
    expect(plain((loaded as unknown as { subscriptionRows: TenantSubscription[] }).subscriptionRows)).toEqual(plain(subscriptions));
    expect(plain(loaded.directorySubscriptions)).toEqual(plain(directory));
    expect(loaded.licences.every((l) => l instanceof TenantLicence)).toBe(true);
    expect(loaded.directorySubscriptions.every((s) => s instanceof DirectorySubscription)).toBe(true);

    expect(loaded.lastReadAt).toEqual(new Date('2026-11-26T10:00:00.987Z'));
    expect(loaded.directoryRead).toEqual({
      readAt: null,
      failure: { reason: `O'Brien "quoted" \\ back-slash, ünïcode – ✓`, at: new Date('2026-11-26T10:00:00.500Z') },
    });
    expect(loaded.licenceReadFailure).toEqual({
      reason: `O'Brien "quoted" \\ back-slash, ünïcode – ✓`,
      at: new Date('2026-11-25T09:00:00Z'),
    });
  });

  it('hands back managed rows: saving a load that changed nothing writes nothing, a change writes only that row', async () => {
    const em = orm.em.fork();
    const repository = new MikroOrmLicensedTenantRepository(em);
    await em.transactional(async () => {
      await repository.load(org, tenant, []);
      statements.length = 0;
      await em.flush();
    });
    expect(statements.filter((s) => /insert into|update |delete from/i.test(s))).toEqual([]);

    const changing = orm.em.fork();
    await changing.transactional(async () => {
      const loaded = await new MikroOrmLicensedTenantRepository(changing).load(org, tenant, []);
      statements.length = 0;
      loaded.licences.find((l) => l.skuId === 'sku-b')!.applyLockedOut(4, new Date('2026-11-27T00:00:00Z'));
      await changing.flush();
    });
    expect(statements.filter((s) => /insert into|update |delete from/i.test(s))).toEqual([
      expect.stringMatching(/update "tenant_licences"/),
    ]);
    const [row] = await orm.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from tenant_licences where organization_id = ? and locked_out_units = 4', [org]);
    expect(row.n).toBe(1);
  });

  it('a tenant never read has no rows and no read time', async () => {
    const loaded = await new MikroOrmLicensedTenantRepository(orm.em.fork()).load(org, randomUUID(), []);
    expect([loaded.licences, loaded.subscriptions, loaded.directorySubscriptions, loaded.lastReadAt, loaded.licenceReadFailure]).toEqual([
      [],
      [],
      [],
      null,
      null,
    ]);
    expect(loaded.directoryRead).toEqual({ readAt: null, failure: null });
  });

  it('a recording that changes nothing is three round trips (lock, read, stamp with its event); the event is as the outbox writes it', async () => {
    const tenantId = randomUUID();
    // Each event in a fresh context, its writes flushed, as the app's event handlers run it.
    const record = async (readAt: string) => {
      // The global manager, as the app's repositories use it: inside em.transactional it is the transaction's.
      const useCase = new RecordTenantLicencesUseCase(
        new MikroOrmLicensedTenantRepository(orm.em),
        new MikroOrmTransaction(orm.em),
        new MikroOrmEventOutbox(orm.em),
        new FixedClock(new Date('2026-11-26T12:00:00.123Z')),
      );
      const outcome = await orm.em.transactional(async (em) => {
        const recorded = await useCase.execute({
          organizationId: org,
          importRunId: 'run-1',
          tenantId,
          readAt,
          skus: [skuSnapshot()],
          subscriptions: [subscriptionSnapshot({ id: `sub-${tenantId}` })],
          directory: { subscriptions: [directorySubscriptionSnapshot()] },
        });
        await em.flush();
        return recorded;
      });
      orm.em.clear();
      return outcome;
    };
    const events = () =>
      orm.em
        .getConnection()
        .execute<{ organization_id: string; payload: unknown; occurred_at: string; published_at: Date | null }[]>(
          `select organization_id, payload, occurred_at, published_at from outbox_messages where payload->>'tenantId' = ? order by occurred_at, id`,
          [tenantId],
        );
    const stamp = async () =>
      (
        await orm.em
          .getConnection()
          .execute<{ read_at: string }[]>(`select read_at::text from tenant_licence_reads where organization_id = ? and tenant_id = ?`, [
            org,
            tenantId,
          ])
      )[0]?.read_at;

    await record('2026-11-26T10:00:00.000Z');
    statements.length = 0;
    expect(await record('2026-11-27T10:00:00.000Z')).toEqual(expect.objectContaining({ outcome: 'recorded', changed: false }));
    const sent = statements.filter((sql) => !/^(begin|commit|savepoint|release)/i.test(sql.trim()));
    expect(sent).toHaveLength(3);
    expect(sent[2]).toMatch(/insert into outbox_messages[\s\S]*insert into tenant_licence_reads/);
    expect(await stamp()).toBe('2026-11-27 10:00:00+00');

    // A stale read (older than the stored one) writes no stamp: its event still reaches the outbox (through EventOutbox).
    expect(await record('2026-11-25T10:00:00.000Z')).toEqual(expect.objectContaining({ outcome: 'stale' }));
    expect(await stamp()).toBe('2026-11-27 10:00:00+00');

    const rows = (await events()).map((row) => ({ ...row, occurred_at: new Date(row.occurred_at) }));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toEqual({
        organization_id: org,
        payload: {
          importRunId: 'run-1',
          tenantId,
          purchased: 25,
          assigned: 20,
          hasUnassignedSeats: true,
          licencesUnreadable: null,
        },
        occurred_at: new Date('2026-11-26T12:00:00.123Z'),
        published_at: null,
      });
    }
  });

  it('a recording rolled back leaves neither its read stamp nor its event', async () => {
    const tenantId = randomUUID();
    const useCase = new RecordTenantLicencesUseCase(
      new MikroOrmLicensedTenantRepository(orm.em),
      new MikroOrmTransaction(orm.em),
      new MikroOrmEventOutbox(orm.em),
      new FixedClock(new Date('2026-11-26T12:00:00Z')),
    );
    await expect(
      orm.em.transactional(async () => {
        await useCase.execute({
          organizationId: org,
          importRunId: 'run-1',
          tenantId,
          readAt: '2026-11-26T10:00:00Z',
          skus: [],
          subscriptions: [],
        });
        throw new Error('the handler failed after recording');
      }),
    ).rejects.toThrow('the handler failed');
    orm.em.clear();
    const [row] = await orm.em.getConnection().execute<{ reads: number; events: number }[]>(
      `select (select count(*)::int from tenant_licence_reads where tenant_id = ?) as reads,
                (select count(*)::int from outbox_messages where payload->>'tenantId' = ?) as events`,
      [tenantId, tenantId],
    );
    expect(row).toEqual({ reads: 0, events: 0 });
  });

  // An import's first reads see statistics taken while the organization had few subscriptions: the subscriptions a read
  // names must still come from the (organization, subscription) index, not from every subscription of the organization.
  it('reads the subscriptions a read names by their index, whatever the statistics say the organization has', async () => {
    const sql = (text: string, params: unknown[] = []) => orm.em.getConnection().execute(text, params);
    await sql('analyze tenant_subscriptions');
    await sql(
      `insert into tenant_subscriptions (id, organization_id, tenant_id, subscription_id, offer_id, offer_name, quantity, billing_cycle, status,
         auto_renew_enabled, is_trial, changed_at)
       select gen_random_uuid(), ?, gen_random_uuid(), 'bulk-' || i, 'offer', 'Offer', 1, 'monthly', 'active', false, false, now()
       from generate_series(1, 3000) i`,
      [org],
    );
    const sent: { sql: string; bindings: unknown[] }[] = [];
    const knex = orm.em.getConnection().getKnex();
    const listen = (query: { sql: string; bindings?: unknown[] }) => sent.push({ sql: query.sql, bindings: query.bindings ?? [] });
    knex.on('query', listen);
    try {
      await orm.em.transactional(() => new MikroOrmLicensedTenantRepository(orm.em).load(org, tenant, ['sub-moving', 'bulk-7']));
    } finally {
      knex.off('query', listen);
    }
    const load = sent.find((query) => query.sql.includes('json_agg'))!;
    // As sent ($1…), asked again with explain.
    const statement = load.sql.replace(/\$\d+/g, '?');
    const plan = JSON.stringify((await knex.raw(`explain (format json) ${statement}`, load.bindings as never[])).rows);

    expect(plan).toMatch(/subscription_id = ANY/);
    expect(plan).not.toContain('"Join Type":"Semi"');
  });
});
