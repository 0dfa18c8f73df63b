import { Client } from 'pg';
import { Migration20261208050000_staff_roles } from '../../migrations/Migration20261208050000_staff_roles';
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
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['mikro_orm_migrations', 'organizations', 'outbox_messages', 'processed_events', 'session', 'staff_users']),
    );
  });

  it('makes every staff user from before roles an Owner, so nobody loses access, and then requires a role for new ones', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      // Back to the schema before staff roles, with the users an existing organization had then.
      const migration = new Migration20261208050000_staff_roles(null as never, null as never);
      await migration.down();
      for (const sql of migration.getQueries()) await client.query(String(sql));
      await client.query(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('0e0e0e0e-0000-4000-8000-000000000001', '0e0e0e0e-0000-4000-8000-0000000000aa', 'Contoso', now())`,
      );
      for (const n of [1, 2]) {
        await client.query(
          `insert into staff_users (id, organization_id, entra_object_id, user_principal_name, display_name, created_at, last_sign_in_at)
           values ($1, '0e0e0e0e-0000-4000-8000-000000000001', $2, $3, $3, now(), now())`,
          [`0e0e0e0e-0000-4000-8000-00000000010${n}`, `0e0e0e0e-0000-4000-8000-00000000020${n}`, `user${n}@contoso.example`],
        );
      }
      migration.reset();
      await migration.up();
      for (const sql of migration.getQueries()) await client.query(String(sql));
      const { rows } = await client.query<{ role: string }>('select role from staff_users order by user_principal_name');
      expect(rows).toEqual([{ role: 'owner' }, { role: 'owner' }]);
      await expect(
        client.query(`insert into staff_users (id, organization_id, entra_object_id, user_principal_name, display_name, created_at, last_sign_in_at)
          values ('0e0e0e0e-0000-4000-8000-000000000109', '0e0e0e0e-0000-4000-8000-000000000001', '0e0e0e0e-0000-4000-8000-000000000209', 'x', 'x', now(), now())`),
      ).rejects.toThrow(/null value in column "role"/);
    } finally {
      await client.end();
    }
  });
});
