import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, withDatabase, type RunningPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { TEMPLATE_DATABASE } from '../support/test-database';

// One throwaway PostgreSQL for the whole run (or the server in DATABASE_URL), one migrated template database;
// each test file clones the template (test/support/test-database.ts). Both database projects (integration, e2e)
// name this setup and jest calls it once per project: the second call finds the server ready and reuses it.
export default async function globalSetup(): Promise<void> {
  const state = globalThis as { __TEST_DATABASE_READY__?: boolean };
  if (state.__TEST_DATABASE_READY__) return;
  state.__TEST_DATABASE_READY__ = true;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = join(__dirname, '..', '..', '.data', 'test', `postgres-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
    (globalThis as { __POSTGRES__?: RunningPostgres }).__POSTGRES__ = postgres;
    serverUrl = postgres.serverUrl;
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${TEMPLATE_DATABASE}"`);
    await admin.query(`create database "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(serverUrl, TEMPLATE_DATABASE));
  process.env.TEST_DATABASE_SERVER_URL = serverUrl;
}
