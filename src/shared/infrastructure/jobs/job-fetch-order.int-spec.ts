import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';

// pg-boss's fetch of a queue's next job, with thousands waiting (an import's read jobs): read in order from an index
// (migrations/…_job_fetch_order), not by sorting every waiting job of the queue on each fetch.
describe("pg-boss's next-job fetch", () => {
  let db: TestDatabase;
  let client: Client;
  let boss: PgBoss;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = new PgBoss({ connectionString: db.url, migrate: false, schedule: false, supervise: false });
    await boss.start();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await boss.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('takes the next jobs of a queue with thousands waiting from the fetch-order index, without a sort', async () => {
    await boss.createQueue('fetch-order', { name: 'fetch-order', policy: 'stately' });
    await boss.insert(Array.from({ length: 3000 }, (_, i) => ({ name: 'fetch-order', data: { i }, singletonKey: `tenant-${i}` })));
    await client.query('analyze pgboss.job');
    // pg-boss 10's own fetch statement (plans.js fetchNextJob), as its workers send it.
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `explain select id from pgboss.job where name = $1 and state < 'active' and start_after < now()
       order by priority desc, created_on, id limit $2 for update skip locked`,
      ['fetch-order', 1],
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using \S*name_priority_created_on_id\S* on/);
    expect(plan).not.toMatch(/\bSort\b/);

    // And pg-boss still takes the first job in its order.
    const { rows: expected } = await client.query<{ id: string }>(
      `select id from pgboss.job where name = $1 order by priority desc, created_on, id limit 1`,
      ['fetch-order'],
    );
    const [first] = await boss.fetch('fetch-order');
    expect(first.id).toBe(expected[0].id);
  });
});
