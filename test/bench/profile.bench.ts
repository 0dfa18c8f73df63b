// npm run bench:profile — where one import's time goes, with Microsoft answering at once (no latency, no throttling):
// the app's own pipeline alone. Prints the import's wall time, the app process's CPU time and event-loop delay (a
// CPU-bound app shows CPU ≈ wall time and a long delay), and pg-boss's own timings per queue: how long jobs waited
// to start (queueing, polling) and how long they ran. BENCH_CUSTOMERS (default 1000), IMPORT_CONCURRENCY (default 96),
// MICROSOFT_CONCURRENCY_PER_LIMIT (the app's default);
// BENCH_REALISTIC=1 turns on npm run bench's realistic Microsoft (latency and throttling) instead; BENCH_PROFILE_REFRESH=1
// measures a second import (Re-read all customers) over the first one's data.
// BENCH_PG_STATEMENTS=1: PostgreSQL's own statistics of the measured import's statements (pg_stat_statements), the
// costliest first: which statement's time grows with the number of customers.
// `node --cpu-prof dist/test/bench/profile.bench.js` after `npm run bench:profile` writes a CPU profile of the app.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { signInThroughForms } from '../../libs/microsoft-emulator/src';
import { MikroORM } from '@mikro-orm/postgresql';
import { createApp } from '../../src/app.factory';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { PgBossService } from '../../src/shared/infrastructure/jobs/pg-boss.service';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { appReadRate, emulatedAppConfig, forkBenchEmulator, signInAndPressGrant, untilJobsIdle } from './bench-kit';

async function main(): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 1000);
  const concurrency = process.env.IMPORT_CONCURRENCY ?? '96';
  const dataDir = join(projectRoot, '.data', 'bench', String(process.pid));
  const statementStats = process.env.BENCH_PG_STATEMENTS === '1';
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'pg'),
    persistent: false,
    settings: statementStats ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {},
  });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const { child: emulator, url: emulatorUrl } = await forkBenchEmulator(customers, baseUrl);
  try {
    const databaseUrl = await ensureDatabase(postgres.serverUrl, 'profile');
    await migrateDatabase(databaseUrl);
    const config = emulatedAppConfig(
      {
        PORT: String(port),
        APP_BASE_URL: baseUrl,
        IMPORT_CONCURRENCY: concurrency,
        MICROSOFT_CONCURRENCY_PER_LIMIT: process.env.MICROSOFT_CONCURRENCY_PER_LIMIT,
      },
      databaseUrl,
      emulatorUrl,
    );
    const app = await createApp(config);
    await app.listen(port, '127.0.0.1');
    const { browser, grant } = await signInAndPressGrant(baseUrl);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const untilFinished = async (runs: number) => {
      for (;;) {
        const { rows } = await db.query(`select count(*)::int as n, bool_and(status in ('completed', 'failed')) as done from import_runs`);
        if (rows[0].n >= runs && rows[0].done) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // BENCH_PROFILE_REFRESH=1: the import measured is a second one (Re-read all customers), over the first one's data.
    const refresh = process.env.BENCH_PROFILE_REFRESH === '1';
    if (refresh) {
      await browser.get((await signInThroughForms(browser, grant.location!, { username: 's365@contoso-partners.example' })).url);
      await untilFinished(1);
      // As npm run bench measures its second import: once the first one's follow-up work (reconciliation, alerts,
      // webhooks) is done, which otherwise shares the two cores and the database with it.
      await untilJobsIdle(db, 15 * 60);
    }
    if (statementStats) await db.query('create extension if not exists pg_stat_statements; select pg_stat_statements_reset()');
    const callsBefore = (await (await fetch(`${emulatorUrl}/__emulator/requests`)).json()) as Record<string, number>;
    const measuredFrom = new Date();
    const startRss = process.memoryUsage();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    // Connection pools sampled every 50 ms: requests waiting for a connection mean the pool, not the work, is the limit.
    const pools = poolSampler(app);
    const cpu = process.cpuUsage();
    const cpuProfile = process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : null;
    const started = performance.now();
    if (refresh) {
      const customersPage = await browser.get(`${baseUrl}/customers`);
      await browser.post(`${baseUrl}/customers/refresh`, { _csrf: customersPage.forms.find((f) => f.fields._csrf)!.fields._csrf });
      await untilFinished(2);
    } else {
      await browser.get((await signInThroughForms(browser, grant.location!, { username: 's365@contoso-partners.example' })).url);
      await untilFinished(1);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (cpuProfile) await cpuProfile.stop(process.env.BENCH_CPU_PROFILE!);
    const poolStats = pools.stop();
    loop.disable();
    const statements = statementStats ? await costliestStatements(db) : [];
    const calls = (await (await fetch(`${emulatorUrl}/__emulator/requests`)).json()) as Record<string, number>;
    // This import's calls only (a second import's emulator has answered the first one's too).
    const microsoftCalls = Object.entries(calls)
      .filter(([route]) => / \/v1\/| \/v1\.0\/|oauth2\/v2\.0\/token/.test(route))
      .reduce((sum, [route, n]) => sum + n - (callsBefore[route] ?? 0), 0);
    console.log(
      `\n${customers} customers${refresh ? ', second import' : ''}, IMPORT_CONCURRENCY=${concurrency} (${config.microsoftConcurrencyPerLimit} per limit key), Microsoft ${process.env.BENCH_REALISTIC ? 'realistic (latency, throttling)' : 'without latency or throttling'}\n`,
    );
    console.log('| measure | value |\n|---|---|');
    console.log(
      `| import wall time | ${seconds.toFixed(1)} s (${(customers / seconds).toFixed(1)} tenants/s, ${microsoftCalls} Microsoft calls, ${(microsoftCalls / seconds).toFixed(0)} calls/s) |`,
    );
    if (process.env.BENCH_REALISTIC) {
      // Which limit keys the calls went to, and the 429s by cause: how full each key was kept.
      const realism = (await (await fetch(`${emulatorUrl}/__emulator/realism`)).json()) as {
        throttled: Record<string, number>;
        callsByKey: Record<string, number>;
      };
      const busiest = Object.entries(realism.callsByKey).sort((a, b) => b[1] - a[1]);
      console.log(
        `| busiest limit keys (calls) / 429s | ${busiest
          .slice(0, 3)
          .map(([key, n]) => `${key.split('|')[0]} ${n}`)
          .join(', ')} / ${JSON.stringify(realism.throttled)} |`,
      );
    }
    console.log(
      `| app CPU time (user + system) | ${((used.user + used.system) / 1e6).toFixed(1)} s (${((100 * (used.user + used.system)) / 1e6 / seconds).toFixed(0)} % of one core) |`,
    );
    console.log(
      `| event-loop delay p50 / p99 / max | ${(loop.percentile(50) / 1e6).toFixed(0)} / ${(loop.percentile(99) / 1e6).toFixed(0)} / ${(loop.max / 1e6).toFixed(0)} ms |`,
    );
    console.log(
      `| MikroORM pool (max ${poolStats.ormMax}): mean busy / mean waiting for a connection | ${poolStats.ormBusy.toFixed(1)} / ${poolStats.ormWaiting.toFixed(1)} |`,
    );
    console.log(
      `| pg-boss pool (max ${poolStats.bossMax}): mean busy / mean waiting for a connection | ${poolStats.bossBusy.toFixed(1)} / ${poolStats.bossWaiting.toFixed(1)} |`,
    );
    if (!process.env.BENCH_REALISTIC) {
      // The same reads by the app's Microsoft adapter alone, once the import's follow-up work is done.
      await untilJobsIdle(db, 15 * 60);
      const alone = await appReadRate(app, db, emulatorUrl, Number(concurrency));
      console.log(
        `| the same reads by the app's Microsoft adapter alone (no jobs, no database writes) | ${alone.seconds.toFixed(1)} s, ${alone.calls} calls, ${alone.callsPerSecond.toFixed(0)} calls/s: the import made ${((100 * microsoftCalls) / seconds / alone.callsPerSecond).toFixed(0)} % of that rate |`,
      );
    }
    if (statements.length > 0) {
      console.log(`\nPostgreSQL statements of the import, costliest first (pg_stat_statements, ${customers} customers)\n`);
      console.log('| total ms | calls | mean ms | rows | statement |\n|---|---|---|---|---|');
      for (const s of statements)
        console.log(
          `| ${s.total.toFixed(0)} | ${s.calls} | ${s.mean.toFixed(3)} | ${s.rows} | ${s.query.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 160)} |`,
        );
      console.log('');
    }
    const endRss = process.memoryUsage();
    // With node --expose-gc: what the import left reachable (the rest is garbage V8 had not collected yet).
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    if (collect) console.log(`(after a full GC: heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB)`);
    console.log(
      `| app RSS / V8 heap used: started, before the import | ${(startRss.rss / 1e6).toFixed(0)} / ${(startRss.heapUsed / 1e6).toFixed(0)} MB |`,
    );
    console.log(
      `| app RSS / V8 heap used: import finished | ${(endRss.rss / 1e6).toFixed(0)} / ${(endRss.heapUsed / 1e6).toFixed(0)} MB |`,
    );
    const { rows } = await db.query(
      `select name as queue, count(*)::int as jobs, round(avg(extract(epoch from started_on - created_on)) * 1000)::int as "mean wait ms",
      round(avg(extract(epoch from completed_on - started_on)) * 1000)::int as "mean run ms", round(extract(epoch from max(completed_on) - min(started_on)))::int as "span s"
      from pgboss.job where state = 'completed' and created_on >= $1 group by name order by sum(extract(epoch from completed_on - started_on)) desc limit 8`,
      [measuredFrom],
    );
    console.log('\n| queue | jobs | mean wait ms | mean run ms | span s |\n|---|---|---|---|---|');
    for (const row of rows)
      console.log(`| ${row.queue} | ${row.jobs} | ${row['mean wait ms']} | ${row['mean run ms']} | ${row['span s']} |`);
    console.log('\n| pg-boss statement | count | mean ms (with the wait for a connection) |\n|---|---|---|');
    for (const [kind, { n, ms }] of [...poolStats.statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10))
      console.log(`| ${kind} | ${n} | ${(ms / n).toFixed(1)} |`);
    const ormTotal = [...poolStats.ormStatements.values()].reduce((a, b) => a + b, 0);
    console.log(`\n| MikroORM statement (${ormTotal} in all, ${(ormTotal / customers).toFixed(1)} per tenant) | count |\n|---|---|`);
    for (const [kind, n] of [...poolStats.ormStatements].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`| ${kind.replace(/\|/g, '\\|')} | ${n} |`);
    await db.end();
    await app.close();
  } finally {
    const ended = new Promise((resolve) => emulator.once('exit', resolve));
    emulator.send('stop');
    await ended;
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// BENCH_CPU_PROFILE=<file>: a CPU profile of this process (the app; the emulator runs in its own) over the measured import
// only, and its 25 busiest functions by self time printed.
async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as {
        profile: {
          nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
          samples: number[];
          timeDeltas: number[];
        };
      };
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      const self = new Map<number, number>();
      profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
      const byFunction = new Map<string, number>();
      for (const node of profile.nodes) {
        const { functionName, url, lineNumber } = node.callFrame;
        const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}:${lineNumber + 1}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0));
      }
      const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
      console.log(`\n| function (self time, of ${(total / 1e6).toFixed(1)} s sampled) | ms | % |\n|---|---|---|`);
      for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`| ${key.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} |`);
    },
  };
}

interface KnexPool {
  numUsed(): number;
  numPendingAcquires(): number;
  max: number;
}
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max: number };
}

function poolSampler(app: Awaited<ReturnType<typeof createApp>>) {
  const orm = (
    (app.get(MikroORM).em.getConnection() as unknown as { getKnex(): { client: unknown } }).getKnex().client as { pool: KnexPool }
  ).pool;
  const boss = (app.get(PgBossService).boss.getDb() as unknown as { pool: PgPool }).pool;
  // pg-boss's statements by kind: how many, and their time including the wait for a connection.
  const db = app.get(PgBossService).boss.getDb() as unknown as { executeSql(text: string, values?: unknown[]): Promise<unknown> };
  const execute = db.executeSql.bind(db);
  const statements = new Map<string, { n: number; ms: number }>();
  db.executeSql = async (text, values) => {
    const kind =
      /(\b(?:insert into|update|delete from|select)\s+[\w.]+(?:\s+set\s+\w+)?)/i.exec(text.replace(/\s+/g, ' '))?.[1] ?? text.slice(0, 40);
    const t0 = performance.now();
    try {
      return await execute(text, values);
    } finally {
      const entry = statements.get(kind) ?? { n: 0, ms: 0 };
      entry.n++;
      entry.ms += performance.now() - t0;
      statements.set(kind, entry);
    }
  };
  // MikroORM's statements by kind (count only).
  const knex = (
    app.get(MikroORM).em.getConnection() as unknown as {
      getKnex(): { on(event: string, listener: (query: { sql: string }) => void): void; removeAllListeners(event: string): void };
    }
  ).getKnex();
  const ormStatements = new Map<string, number>();
  knex.on('query', (query) => {
    const kind =
      /^\s*(begin|commit|rollback|savepoint|release|insert into \S+|update \S+(?: set \S+)?|delete from \S+|select .{0,60}? from \S+|select \S+)/i.exec(
        query.sql.replace(/\s+/g, ' '),
      )?.[1] ?? query.sql.slice(0, 50);
    ormStatements.set(kind, (ormStatements.get(kind) ?? 0) + 1);
  });
  const sums = { ormBusy: 0, ormWaiting: 0, bossBusy: 0, bossWaiting: 0, n: 0 };
  const timer = setInterval(() => {
    sums.ormBusy += orm.numUsed();
    sums.ormWaiting += orm.numPendingAcquires();
    sums.bossBusy += boss.totalCount - boss.idleCount;
    sums.bossWaiting += boss.waitingCount;
    sums.n++;
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const n = Math.max(1, sums.n);
      db.executeSql = execute;
      knex.removeAllListeners('query');
      return {
        ormStatements,
        statements,
        ormMax: orm.max,
        ormBusy: sums.ormBusy / n,
        ormWaiting: sums.ormWaiting / n,
        bossMax: boss.options.max,
        bossBusy: sums.bossBusy / n,
        bossWaiting: sums.bossWaiting / n,
      };
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// The 25 statements PostgreSQL spent most time executing since the reset (every database of the cluster: the app's and pg-boss's).
async function costliestStatements(db: Client): Promise<{ total: number; calls: number; mean: number; rows: number; query: string }[]> {
  const { rows } = await db.query<{ total: number; calls: number; mean: number; rows: number; query: string }>(
    `select total_exec_time as total, calls::int as calls, mean_exec_time as mean, rows::int as rows, query
     from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit 25`,
  );
  return rows;
}
