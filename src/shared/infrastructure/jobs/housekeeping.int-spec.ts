import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { configForDatabase, createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { FixedClock } from '../../testing/fakes';
import { ormOptions } from '../database/mikro-orm.config';
import { HOUSEKEEPING_QUEUE, HousekeepingJob } from './housekeeping.job';
import { PgBossService } from './pg-boss.service';

const DAY = 24 * 60 * 60 * 1000;
const ORG = '00000000-0000-0000-0000-0000000000aa';

describe('housekeeping: old outbox messages, processed events and job archives are deleted in batches (real PostgreSQL)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let client: Client;
  let boss: PgBossService;
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url));
    client = new Client({ connectionString: db.url });
    await client.connect();
    boss = new PgBossService(configForDatabase(db.url));
  });
  afterAll(async () => {
    await boss.beforeApplicationShutdown();
    await client.end();
    await orm.close();
    await db.drop();
  });

  const outbox = (label: string, occurredAt: Date, publishedAt: Date | null) =>
    client.query(
      'insert into outbox_messages (id, organization_id, event_name, payload, occurred_at, published_at) values ($1, $2, $3, $4, $5, $6)',
      [randomUUID(), ORG, 'test.thing-happened', { label }, occurredAt, publishedAt],
    );
  const processed = (handler: string, at: Date) =>
    client.query('insert into processed_events (event_id, handler, processed_at) values ($1, $2, $3)', [randomUUID(), handler, at]);
  // pgboss.archive is `LIKE pgboss.job` without its defaults: every not-null column is given.
  const archived = (name: string, at: Date) =>
    client.query(
      `insert into pgboss.archive (id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, expire_in, created_on, completed_on, keep_until, archived_on)
       values ($1, $2, 0, '{}', 'completed', 0, 0, 0, false, $3, interval '15 minutes', $3, $3, $3, $3)`,
      [randomUUID(), name, at],
    );
  const labels = async (sql: string) => (await client.query<{ label: string }>(sql)).rows.map((r) => r.label).sort();

  it('deletes what is past its retention, a backlog larger than a batch included, and keeps the rest', async () => {
    // 7 days for published messages; unpublished ones stay whatever their age (the relay has yet to send them).
    for (let i = 0; i < 7; i++) await outbox(`old-${i}`, ago(9), ago(8));
    await outbox('recent', ago(7), ago(6));
    await outbox('unpublished', ago(40), null);
    // 30 days for processed events (longer than any redelivery of an event: retention.ts).
    await processed('old', ago(31));
    await processed('recent', ago(29));
    // 14 days for pg-boss's archive.
    await archived('old', ago(15));
    await archived('recent', ago(13));
    // A job still in pg-boss's job table is never touched, however old.
    await boss.ensureQueue('test.queue');
    await client.query(`insert into pgboss.job (id, name, data, created_on) values ($1, 'test.queue', '{}', $2)`, [randomUUID(), ago(60)]);

    const job = new HousekeepingJob(orm, boss, new FixedClock(now));
    job.batchSize = 3;
    expect(await job.run()).toEqual({ outboxMessages: 7, processedEvents: 1, jobArchive: 1 });

    expect(await labels(`select payload->>'label' as label from outbox_messages`)).toEqual(['recent', 'unpublished']);
    expect(await labels('select handler as label from processed_events')).toEqual(['recent']);
    expect(await labels('select name as label from pgboss.archive')).toEqual(['recent']);
    expect((await client.query(`select 1 from pgboss.job where name = 'test.queue'`)).rowCount).toBe(1);

    // Nothing left to delete: a second run the same day deletes nothing more.
    expect(await job.run()).toEqual({ outboxMessages: 0, processedEvents: 0, jobArchive: 0 });
  });

  it('enqueues one job a day however many instances’ crons fire', async () => {
    const clock = new FixedClock(new Date('2026-12-07T04:15:00Z'));
    const instances = [new HousekeepingJob(orm, boss, clock), new HousekeepingJob(orm, boss, clock)];
    // As in the app, where the job's worker creates its queue at start, before any cron fires.
    await boss.ensureQueue(HOUSEKEEPING_QUEUE);
    await Promise.all(instances.map((instance) => instance.enqueueDaily()));
    await instances[0].enqueueDaily();
    const jobs = async () => (await client.query(`select id from pgboss.job where name = $1`, [HOUSEKEEPING_QUEUE])).rowCount;
    expect(await jobs()).toBe(1);
    clock.current = new Date('2026-12-08T04:15:00Z');
    await instances[1].enqueueDaily();
    expect(await jobs()).toBe(2);
  });
});
