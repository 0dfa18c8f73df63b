import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import { OutboxMessageSchema } from '../../../../shared/infrastructure/jobs/outbox-message.schema';
import type { CompletedTenantRead } from '../../application/ports/import.repository';
import { PostgresImportRepository } from './postgres-import.repository';

// The last step of every tenant's read, for a batch of tenants in one statement: the tenants done in their runs, their
// customer rows, and each run's counter once.
describe('recording tenants done, a batch at a time, on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const [org, otherOrg] = [randomUUID(), randomUUID()];
  const admin = randomUUID();
  const now = new Date('2026-12-07T12:00:00.000Z');
  const earlier = new Date('2026-12-07T11:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { entities: [OutboxMessageSchema], allowGlobalContext: true }));
    await sql(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'A', now()), (?, ?, 'B', now())`, [
      org,
      randomUUID(),
      otherOrg,
      randomUUID(),
    ]);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return orm.em.getConnection().execute<T[]>(query, params);
  }

  // A run and its tenants (status per tenant), each with a customer row that remembers an earlier error.
  async function run(organizationId: string, status: 'listing' | 'reading', tenants: Record<string, string>, done = 0) {
    const id = randomUUID();
    const total = Object.keys(tenants).length;
    await sql(
      `insert into import_runs (id, organization_id, delegated_admin_id, trigger, status, total, done, started_at, heartbeat_at)
       values (?, ?, ?, 'manual', ?, ?, ?, ?, ?)`,
      [id, organizationId, randomUUID(), status, total, done, earlier, earlier],
    );
    const ids: Record<string, string> = {};
    for (const [name, tenantStatus] of Object.entries(tenants)) {
      ids[name] = randomUUID();
      await sql(`insert into import_run_tenants (run_id, organization_id, tenant_id, status) values (?, ?, ?, ?)`, [
        id,
        organizationId,
        ids[name],
        tenantStatus,
      ]);
      await sql(
        `insert into customer_tenants (id, organization_id, delegated_admin_id, tenant_id, company_name, domain, relationship, status, last_error, created_at, changed_at, listed_at)
         values (?, ?, ?, ?, ?, 'example.com', 'reseller', 'active', 'an earlier failure', ?, ?, ?)`,
        [randomUUID(), organizationId, admin, ids[name], name, earlier, earlier, earlier],
      );
    }
    return { id, tenants: ids };
  }

  const totals = { purchased: 10, assigned: 7, hasUnassignedSeats: true };

  async function runRow(id: string) {
    const [row] = await sql<{ status: string; done: number; failed: number; finished_at: string | null }>(
      'select status, done, failed, finished_at from import_runs where id = ?',
      [id],
    );
    return { ...row, finished_at: sqlTime(row.finished_at) };
  }

  async function customer(organizationId: string, tenantId: string) {
    const [row] = await sql(
      `select purchased, assigned, has_unassigned_seats, licences_unreadable, last_error, licences_read_at, changed_at
       from customer_tenants where organization_id = ? and tenant_id = ?`,
      [organizationId, tenantId],
    );
    return { ...row, licences_read_at: sqlTime(row.licences_read_at as string | null), changed_at: sqlTime(row.changed_at as string) };
  }

  it('marks each tenant done once, writes its customer row, counts each run once and reports the runs it finished', async () => {
    const a = await run(org, 'reading', { a1: 'pending', a2: 'recording', a3: 'done' }, 1);
    const b = await run(org, 'listing', { b1: 'pending' });
    const foreign = await run(otherOrg, 'reading', { c1: 'pending' });
    const repository = new PostgresImportRepository(orm.em.fork());
    const batch: CompletedTenantRead[] = [
      { organizationId: org, runId: a.id, tenantId: a.tenants.a1, totals },
      {
        organizationId: org,
        runId: a.id,
        tenantId: a.tenants.a2,
        totals: { ...totals, licencesUnreadable: 'No licence-reading GDAP role' },
      },
      { organizationId: org, runId: a.id, tenantId: a.tenants.a3, totals },
      { organizationId: org, runId: b.id, tenantId: b.tenants.b1, totals },
      // Named with the wrong organization: nothing of the other organization's is touched.
      { organizationId: org, runId: foreign.id, tenantId: foreign.tenants.c1, totals },
    ];

    expect(await repository.recordTotalsAndMarkDone(batch, now)).toEqual([{ organizationId: org, runId: a.id }]);

    // a3 was done already: not counted again. B is still listing, so not finished.
    expect(await runRow(a.id)).toEqual({ status: 'completed', done: 3, failed: 0, finished_at: now });
    expect(await runRow(b.id)).toEqual({ status: 'listing', done: 1, failed: 0, finished_at: null });
    expect(await runRow(foreign.id)).toEqual({ status: 'reading', done: 0, failed: 0, finished_at: null });
    const statuses = await sql<{ tenant_id: string; status: string }>(
      'select tenant_id, status from import_run_tenants where run_id in (?, ?, ?)',
      [a.id, b.id, foreign.id],
    );
    expect(Object.fromEntries(statuses.map((row) => [row.tenant_id, row.status]))).toEqual({
      [a.tenants.a1]: 'done',
      [a.tenants.a2]: 'done',
      [a.tenants.a3]: 'done',
      [b.tenants.b1]: 'done',
      [foreign.tenants.c1]: 'pending',
    });
    expect(await customer(org, a.tenants.a1)).toEqual({
      purchased: 10,
      assigned: 7,
      has_unassigned_seats: true,
      licences_unreadable: null,
      last_error: null,
      licences_read_at: now,
      changed_at: now,
    });
    // Unreadable licences: totals unknown, not zero.
    expect(await customer(org, a.tenants.a2)).toMatchObject({
      purchased: null,
      assigned: null,
      has_unassigned_seats: false,
      licences_unreadable: 'No licence-reading GDAP role',
      last_error: null,
    });
    // Its totals are written, but it did not become done here: its last error stays.
    expect(await customer(org, a.tenants.a3)).toMatchObject({ purchased: 10, last_error: 'an earlier failure' });
    expect(await customer(otherOrg, foreign.tenants.c1)).toMatchObject({
      purchased: null,
      licences_read_at: null,
      last_error: 'an earlier failure',
    });

    // The same batch again (a redelivery): nothing more is counted, no run finishes twice, unchanged totals keep changed_at.
    const later = new Date('2026-12-07T12:05:00.000Z');
    expect(await repository.recordTotalsAndMarkDone(batch, later)).toEqual([]);
    expect(await runRow(a.id)).toMatchObject({ done: 3, finished_at: now });
    expect(await runRow(b.id)).toMatchObject({ done: 1 });
    expect(await customer(org, a.tenants.a1)).toMatchObject({ licences_read_at: later, changed_at: now });
  });

  it('finishes a run once when its last tenants are done by two batches at the same time', async () => {
    const r = await run(org, 'reading', { x1: 'recording', x2: 'recording' });
    const finish = (name: 'x1' | 'x2') =>
      orm.em
        .fork()
        .transactional((em) =>
          new PostgresImportRepository(em).recordTotalsAndMarkDone(
            [{ organizationId: org, runId: r.id, tenantId: r.tenants[name], totals }],
            now,
          ),
        );
    const finished = (await Promise.all([finish('x1'), finish('x2')])).flat();

    expect(finished).toEqual([{ organizationId: org, runId: r.id }]);
    expect(await runRow(r.id)).toEqual({ status: 'completed', done: 2, failed: 0, finished_at: now });
  });
});
