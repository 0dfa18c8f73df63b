import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { eventually } from '../../../../test/support/eventually';
import { configForDatabase, createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { SystemClock } from '../../application/clock';
import { EventOutbox, integrationEvent, type IntegrationEvent } from '../../application/integration-event';
import { JobQueue } from '../../application/job-queue';
import { Transaction } from '../../application/transaction';
import { JobWorker, OnIntegrationEvent } from '../../interface/jobs/job-handlers';
import { SharedModule } from '../../shared.module';
import { ormOptions } from '../database/mikro-orm.config';
import { PgBossService } from './pg-boss.service';

const ORG = '00000000-0000-0000-0000-0000000000aa';

@Injectable()
class Recorder {
  handled: IntegrationEvent[] = [];
  worked: object[] = [];
  failuresLeft = 0;

  @OnIntegrationEvent('test.thing-happened')
  async onThing(event: IntegrationEvent): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('handler failed on purpose');
    }
    this.handled.push(event);
  }

  // Several events per fetch, one transaction for them; 'bad' fails every time.
  batchAttempts: string[] = [];
  @OnIntegrationEvent('test.batched', { batchSize: 4 })
  async onBatched(event: IntegrationEvent<{ label: string }>): Promise<void> {
    this.batchAttempts.push(event.payload.label);
    if (event.payload.label === 'bad') throw new Error('handler failed on purpose');
  }

  // The same, taking each batch whole: the labels of each call, in order.
  wholeBatches: string[][] = [];
  @OnIntegrationEvent('test.batched-whole', { batchSize: 4, receivesBatch: true })
  async onBatchedWhole(events: IntegrationEvent<{ label: string }>[]): Promise<void> {
    this.wholeBatches.push(events.map((event) => event.payload.label));
    if (events.some((event) => event.payload.label === 'bad')) throw new Error('handler failed on purpose');
  }

  @JobWorker({ queue: 'test.work', retryLimit: 0 })
  async work(data: object): Promise<void> {
    this.worked.push(data);
  }
}

@Injectable()
class DoThing {
  constructor(
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
  ) {}

  execute(label: string, fail = false): Promise<void> {
    return this.transaction.run(async () => {
      this.outbox.publish(integrationEvent('test.thing-happened', ORG, { label }, new Date()));
      if (fail) throw new Error('state change failed');
    });
  }
}

@Module({ providers: [Recorder, DoThing] })
class TestFeatureModule {}

describe('durable integration events and jobs (outbox → pg-boss → handlers)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let recorder: Recorder;
  let doThing: DoThing;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = configForDatabase(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [
        SharedModule.register(config, new SystemClock()),
        MikroOrmModule.forRoot({ ...ormOptions(db.url), autoLoadEntities: true }),
        TestFeatureModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    recorder = app.get(Recorder);
    doThing = app.get(DoThing);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(() => {
    recorder.handled = [];
    recorder.worked = [];
  });

  it('delivers an event committed with its state change to the subscribed handler', async () => {
    await doThing.execute('committed');
    await eventually(() => expect(recorder.handled.map((e) => e.payload)).toEqual([{ label: 'committed' }]));
    expect(recorder.handled[0]).toMatchObject({ name: 'test.thing-happened', organizationId: ORG });
  });

  it('never delivers an event whose transaction rolled back', async () => {
    await expect(doThing.execute('rolled back', true)).rejects.toThrow('state change failed');
    await doThing.execute('marker');
    await eventually(() => expect(recorder.handled.map((e) => e.payload)).toEqual([{ label: 'marker' }]));
  });

  it('retries a failing handler until it succeeds, without losing the event', async () => {
    recorder.failuresLeft = 1;
    const boss = app.get(PgBossService).boss;
    await doThing.execute('retried');
    // pg-boss waits before a retry; make the retry due now instead of waiting out the backoff.
    await eventually(() => expect(recorder.failuresLeft).toBe(0));
    await eventually(async () => {
      const { rows } = await boss.getDb().executeSql(`update pgboss.job set start_after = now() where state = 'retry' returning id`, []);
      expect(rows.length).toBe(1);
    });
    await eventually(() => expect(recorder.handled.map((e) => e.payload)).toEqual([{ label: 'retried' }]), 20_000);
  });

  it('handles a redelivered event only once (idempotent by event id)', async () => {
    const event = integrationEvent('test.thing-happened', ORG, { label: 'twice' }, new Date());
    const boss = app.get(PgBossService);
    const queue = 'event.test.thing-happened.Recorder.onThing';
    await boss.boss.send(queue, { event });
    await boss.boss.send(queue, { event });
    boss.wake(queue);
    // Both deliveries must have run to completion before counting what the handler did.
    await eventually(async () => {
      const { rows } = await boss.boss
        .getDb()
        .executeSql(`select count(*)::int as n from pgboss.job where name = $1 and state = 'completed' and data->'event'->>'id' = $2`, [
          queue,
          event.id,
        ]);
      expect((rows[0] as { n: number }).n).toBe(2);
    });
    expect(recorder.handled.filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('handles events in batches, each once, and retries only the one that fails', async () => {
    const boss = app.get(PgBossService);
    const queue = 'event.test.batched.Recorder.onBatched';
    const events = ['one', 'bad', 'two'].map((label) => integrationEvent('test.batched', ORG, { label }, new Date()));
    // Already handled: its inbox row exists, so the batch skips it.
    const seen = integrationEvent('test.batched', ORG, { label: 'seen' }, new Date());
    await boss.boss
      .getDb()
      .executeSql(`insert into processed_events (event_id, handler, processed_at) values ($1, 'Recorder.onBatched', now())`, [seen.id]);
    await boss.boss.insert([...events, seen].map((event) => ({ name: queue, data: { event } })));
    boss.wake(queue);
    const states = async () =>
      Object.fromEntries(
        (
          (
            await boss.boss
              .getDb()
              .executeSql(`select data->'event'->'payload'->>'label' as label, state from pgboss.job where name = $1`, [queue])
          ).rows as { label: string; state: string }[]
        ).map((row) => [row.label, row.state]),
      );
    await eventually(async () => expect(await states()).toEqual({ one: 'completed', two: 'completed', seen: 'completed', bad: 'retry' }));
    // Taken together (the failure rolled the batch back), then each event on its own: 'bad' twice before its retry.
    expect(recorder.batchAttempts.filter((label) => label === 'bad').length).toBeGreaterThanOrEqual(2);
    expect(recorder.batchAttempts).not.toContain('seen');
    const { rows } = await boss.boss
      .getDb()
      .executeSql(`select event_id from processed_events where handler = 'Recorder.onBatched' and event_id = any($1::uuid[])`, [
        [...events, seen].map((event) => event.id),
      ]);
    expect((rows as { event_id: string }[]).map((row) => row.event_id).sort()).toEqual([events[0].id, events[2].id, seen.id].sort());
  });

  it('gives a handler that receives batches the fresh events of a batch in one call, and each alone after a failure', async () => {
    const boss = app.get(PgBossService);
    const queue = 'event.test.batched-whole.Recorder.onBatchedWhole';
    const seen = integrationEvent('test.batched-whole', ORG, { label: 'seen' }, new Date());
    await boss.boss
      .getDb()
      .executeSql(`insert into processed_events (event_id, handler, processed_at) values ($1, 'Recorder.onBatchedWhole', now())`, [
        seen.id,
      ]);
    const events = ['one', 'two', 'three'].map((label) => integrationEvent('test.batched-whole', ORG, { label }, new Date()));
    // Inserted before the workers look, so one fetch takes all four (a batch of 4).
    await boss.boss.insert([...events, seen].map((event) => ({ name: queue, data: { event } })));
    boss.wake(queue);
    await eventually(async () => expect(recorder.wholeBatches.flat().sort()).toEqual(['one', 'three', 'two']));
    // One call for the batch (in pg-boss's order, which is not the insertion order), without the one already handled.
    expect(recorder.wholeBatches.map((labels) => [...labels].sort())).toEqual([['one', 'three', 'two']]);

    recorder.wholeBatches = [];
    const failing = ['four', 'bad'].map((label) => integrationEvent('test.batched-whole', ORG, { label }, new Date()));
    await boss.boss.insert(failing.map((event) => ({ name: queue, data: { event } })));
    boss.wake(queue);
    // Together first (rolled back), then each alone as a batch of one: 'four' handled, 'bad' left to its retries.
    await eventually(async () =>
      expect(recorder.wholeBatches.slice(0, 3).map((labels) => [...labels].sort())).toEqual(
        expect.arrayContaining([['bad', 'four'], ['four'], ['bad']]),
      ),
    );
    expect([...recorder.wholeBatches[0]].sort()).toEqual(['bad', 'four']);
    const { rows } = await boss.boss
      .getDb()
      .executeSql(`select event_id from processed_events where handler = 'Recorder.onBatchedWhole' and event_id = any($1::uuid[])`, [
        failing.map((event) => event.id),
      ]);
    expect((rows as { event_id: string }[]).map((row) => row.event_id)).toEqual([failing[0].id]);
  });

  it('publishes many events at once with the state change, and none when it rolls back', async () => {
    const outbox = app.get(EventOutbox);
    const transaction = app.get(Transaction);
    const many = (prefix: string) =>
      Array.from({ length: 2500 }, (_, i) =>
        integrationEvent('test.thing-happened', ORG, { label: `${prefix}${i}`, quote: "it's ? \\ “x”" }, new Date()),
      );
    const rolledBack = many('r');
    await expect(
      transaction.run(async () => {
        await outbox.publishAll(rolledBack);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const committed = many('c');
    await transaction.run(() => outbox.publishAll(committed));

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; organization_id: string; event_name: string; payload: object; occurred_at: Date }>(
        'select id, organization_id, event_name, payload, occurred_at from outbox_messages where id = any($1::uuid[]) order by id',
        [[...rolledBack, ...committed].map((e) => e.id)],
      );
      expect(rows.map((row) => row.id)).toEqual(committed.map((e) => e.id).sort());
      const stored = rows.find((row) => row.id === committed[1].id);
      expect(stored).toEqual({
        id: committed[1].id,
        organization_id: ORG,
        event_name: 'test.thing-happened',
        payload: committed[1].payload,
        occurred_at: new Date(committed[1].occurredAt),
      });
    } finally {
      await client.end();
    }
    // Relayed like any other event: every one of them marked published (a job per handler sent), the first handled.
    // (Waiting for 2,500 handler jobs to run took over a minute on a loaded machine; their delivery is tested above.)
    const unrelayed = async () => {
      const check = new Client({ connectionString: db.url });
      await check.connect();
      try {
        const { rows } = await check.query<{ n: number }>(
          'select count(*)::int as n from outbox_messages where id = any($1::uuid[]) and published_at is null',
          [committed.map((e) => e.id)],
        );
        return rows[0].n;
      } finally {
        await check.end();
      }
    };
    await eventually(async () => expect(await unrelayed()).toBe(0), 60_000);
    await eventually(() => expect(recorder.handled.map((e) => e.id)).toContain(committed[0].id), 60_000);
  }, 150_000);

  it('runs enqueued jobs on their worker', async () => {
    const id = await app.get(JobQueue).enqueue('test.work', { tenant: 'a' });
    expect(id).toBeTruthy();
    await eventually(() => expect(recorder.worked).toEqual([{ tenant: 'a' }]));
  });

  it('beats running jobs, those asked for together in one statement, each only while it is active', async () => {
    const jobs = app.get(PgBossService);
    const sql = (text: string, values: unknown[]) => jobs.boss.getDb().executeSql(text, values);
    await jobs.ensureQueue('test.beating', { expireInSeconds: 15 * 60 });
    const ids = [
      await jobs.boss.send('test.beating', {}),
      await jobs.boss.send('test.beating', {}),
      await jobs.boss.send('test.beating', {}),
    ];
    await sql(`update pgboss.job set state = 'active', started_on = now() - interval '5 seconds' where id = any($1::uuid[]) and id <> $2`, [
      ids,
      ids[2],
    ]);
    const statements = jest.spyOn(jobs.boss.getDb(), 'executeSql');

    await Promise.all(ids.map((id) => jobs.beat('test.beating', id!, 30)));

    const { rows } = await sql(`select id, extract(epoch from expire_in)::int as expire from pgboss.job where id = any($1::uuid[])`, [ids]);
    const expiry = new Map((rows as { id: string; expire: number }[]).map((row) => [row.id, row.expire]));
    // Active for 5 s, alive 30 s more; the job not started keeps its expiry.
    expect([expiry.get(ids[0]!), expiry.get(ids[1]!)]).toEqual([35, 35]);
    expect(expiry.get(ids[2]!)).toBe(15 * 60);
    // The first beat went at once; the two asked for while it was under way shared the next statement.
    expect(statements.mock.calls.filter(([text]) => String(text).includes('set expire_in'))).toHaveLength(2);
    statements.mockRestore();
  });
});

describe('shutting down while the outbox relay is sending', () => {
  it('stops the relay before the queue: no relay error, and every event published once its jobs exist', async () => {
    const db = await createTestDatabase();
    const config = configForDatabase(db.url);
    const start = async (): Promise<INestApplication> => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          SharedModule.register(config, new SystemClock()),
          MikroOrmModule.forRoot({ ...ormOptions(db.url), autoLoadEntities: true }),
          TestFeatureModule,
        ],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: errors });
      await app.init();
      return app;
    };
    const logged: string[] = [];
    const errors = {
      log: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
      error: (...args: unknown[]) => void logged.push(args.map(String).join(' ')),
    };
    const query = async <T extends object>(sql: string): Promise<T> => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows[0] as T;
      } finally {
        await client.end();
      }
    };
    const published = async () =>
      (await query<{ n: number }>('select count(*)::int as n from outbox_messages where published_at is not null')).n;
    try {
      const first = await start();
      const events = Array.from({ length: 600 }, (_, i) => integrationEvent('test.thing-happened', ORG, { label: `e${i}` }, new Date()));
      await first.get(Transaction).run(async () => {
        for (const event of events) first.get(EventOutbox).publish(event);
      });
      // Close while the relay is between its first and last batch.
      await eventually(async () => expect(await published()).toBeGreaterThan(0));
      await first.close();
      expect(logged.filter((line) => /Relaying integration events failed/.test(line))).toEqual([]);
      const orphans = await query<{ n: number }>(
        `select count(*)::int as n from outbox_messages m where m.published_at is not null and not exists (select 1 from pgboss.job j where j.data->'event'->>'id' = m.id::text)`,
      );
      expect(orphans.n).toBe(0);

      // Whatever was left is relayed by the next start: nothing lost, nothing sent twice.
      const second = await start();
      await eventually(async () => expect(await published()).toBe(events.length), 30_000);
      const jobs = await query<{ n: number; distinct: number }>(
        `select count(*)::int as n, count(distinct data->'event'->>'id')::int as distinct from pgboss.job where name like 'event.test.thing-happened.%'`,
      );
      expect(jobs).toEqual({ n: events.length, distinct: events.length });
      await second.close();
    } finally {
      await db.drop();
    }
  }, 90_000);
});
