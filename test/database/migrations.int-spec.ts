import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('database migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('creates every table the app needs, including the session store table', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    await client.end();
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['mikro_orm_migrations', 'organizations', 'outbox_messages', 'processed_events', 'session', 'staff_users']));
  });
});
