import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { completeConfig, parseSettings, type AppConfig } from '../../src/config/app-config';
import { withDatabase } from '../../src/shared/infrastructure/database/embedded-postgres';

export const TEMPLATE_DATABASE = 'sync365_test_template';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

// A fresh, migrated database for one test file, cloned from the template global-setup migrated.
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_SERVER_URL is not set: run the tests through jest (npm test).');
  const name = `sync365_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (c) => c.query(`create database "${name}" template "${TEMPLATE_DATABASE}"`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () => withAdmin(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// The app's configuration with nothing set but this database and the secrets it requires (fresh random ones): for a
// test that builds the shared infrastructure (job queue, outbox, a module) on its own database.
export function configForDatabase(databaseUrl: string): AppConfig {
  const settings = parseSettings({});
  return completeConfig({
    ...settings,
    databaseUrl,
    microsoft: { ...settings.microsoft, clientId: 'x', clientSecret: 'y' },
    tokenEncryptionKey: randomBytes(32),
    sessionSecret: randomBytes(32).toString('hex'),
  });
}
