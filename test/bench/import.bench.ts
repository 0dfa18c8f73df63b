// npm run bench:import — the whole import through the real app, its jobs and PostgreSQL, against a generated
// partner in the local Microsoft: consent, then every customer tenant, its licences and GDAP. Prints a table.
// BENCH_REALISTIC=1: npm run bench's realistic Microsoft (latency, throttling) in a process of its own, with the lower
// bound of that world, the ratio to it, the 429s and Partner Center's calls per 10 s (how full its limit was kept).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  ensureCertificateAuthority,
  generateScenario,
  signInThroughForms,
  startEmulator,
  sync365DemoApp,
} from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { emulatedAppConfig, forkBenchEmulator, signInAndPressGrant } from './bench-kit';
import { printTimeline, sampleTimeline } from './import-timeline';
import { lowerBound, type RealismCounters } from './lower-bound';

const SIZES = (process.env.BENCH_CUSTOMERS ?? '1000,10000').split(',').map(Number);
const REALISTIC = !!process.env.BENCH_REALISTIC;
const CONCURRENCY = process.env.IMPORT_CONCURRENCY ?? (REALISTIC ? '96' : '8');
// BENCH_TIMELINE=1 (with BENCH_REALISTIC=1): where the time goes, per TIMELINE_STEP seconds (test/bench/import-timeline.ts).
const TIMELINE = REALISTIC && !!process.env.BENCH_TIMELINE;

async function main(): Promise<void> {
  // Under the project, not a 0700 temp folder: PostgreSQL runs as its own user when we are root.
  const dataDir = join(projectRoot, '.data', 'bench', String(process.pid));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  const rows: Record<string, string | number>[] = [];
  try {
    for (const customers of SIZES) rows.push(await importOnce(customers, await ensureDatabase(postgres.serverUrl, `bench_${customers}`)));
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.table(rows);
}

async function importOnce(customers: number, databaseUrl: string): Promise<Record<string, string | number>> {
  await migrateDatabase(databaseUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulator = REALISTIC ? await forkedEmulator(customers, baseUrl) : await inProcessEmulator(customers, baseUrl);
  const config = emulatedAppConfig(
    {
      PORT: String(port),
      APP_BASE_URL: baseUrl,
      IMPORT_CONCURRENCY: CONCURRENCY,
      MICROSOFT_CONCURRENCY_PER_LIMIT: process.env.MICROSOFT_CONCURRENCY_PER_LIMIT,
    },
    databaseUrl,
    emulator.url,
  );
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  try {
    const { browser, grant } = await signInAndPressGrant(baseUrl);
    const started = performance.now();
    const timeline = REALISTIC ? sampleRealism(emulator.url) : undefined;
    const timelineDb = TIMELINE ? new Client({ connectionString: databaseUrl }) : undefined;
    await timelineDb?.connect();
    const detailed = timelineDb ? sampleTimeline(app, timelineDb, emulator.url) : undefined;
    await browser.get((await signInThroughForms(browser, grant.location!, { username: 's365@contoso-partners.example' })).url);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    let run: { total: number; done: number; failed: number; status: string } | undefined;
    for (;;) {
      run = (await db.query(`select total, done, failed, status from import_runs order by started_at desc limit 1`)).rows[0];
      if (run && (run.status === 'completed' || run.status === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const samples = timeline?.stop();
    const details = detailed?.stop();
    await timelineDb?.end();
    if (details) printTimeline(details, seconds);
    // The reconciliation run that follows the import: snapshot, changes and discrepancies of every tenant.
    let reconciliation: { open_discrepancies: number } | undefined;
    for (;;) {
      reconciliation = (await db.query(`select open_discrepancies from reconciliation_runs limit 1`)).rows[0];
      if (reconciliation) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const reconciledSeconds = (performance.now() - started) / 1000 - seconds;
    const {
      rows: [counts],
    } = await db.query(
      `select (select count(*) from customer_tenants)::int as tenants, (select count(*) from tenant_licences)::int as licences, (select count(*) from tenant_subscriptions)::int as subscriptions`,
    );
    await db.end();
    const requests = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as Record<string, number>;
    const microsoftCalls = Object.entries(requests)
      .filter(([route]) => !route.includes('/__emulator'))
      .reduce((n, [, c]) => n + c, 0);
    const realism = REALISTIC ? await printRealism(emulator.url, seconds, microsoftCalls, samples!) : {};
    return {
      customers,
      concurrency: Number(CONCURRENCY),
      status: run!.status,
      tenantsRead: run!.done,
      failed: run!.failed,
      licenceRows: counts.licences,
      subscriptionRows: counts.subscriptions,
      microsoftCalls,
      seconds: seconds.toFixed(1),
      tenantsPerSecond: (run!.done / seconds).toFixed(0),
      reconciliationSeconds: reconciledSeconds.toFixed(1),
      openDiscrepancies: reconciliation.open_discrepancies,
      ...realism,
    };
  } finally {
    await app.close();
    await emulator.close();
  }
}

async function inProcessEmulator(customers: number, baseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  return startEmulator({
    ca: ensureCertificateAuthority(join(projectRoot, '.data', 'test')),
    apps: [sync365DemoApp(baseUrl)],
    scenario: generateScenario({ customers, seed: 42 }),
    // Raw speed of Sync 365 itself: Microsoft's throttling is exercised by the tests and bench:partner-center.
    throttling: { partnerCenter: { limit: 10_000_000, windowSeconds: 60 }, graph: { limit: 10_000_000, windowSeconds: 10 } },
  });
}

async function forkedEmulator(customers: number, baseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const { child, url } = await forkBenchEmulator(customers, baseUrl);
  return {
    url,
    close: async () => {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await ended;
    },
  };
}

async function realismCounters(emulatorUrl: string): Promise<RealismCounters> {
  return (await (await fetch(`${emulatorUrl}/__emulator/realism`)).json()) as RealismCounters;
}

interface RealismSample {
  seconds: number;
  partnerCenterCalls: number;
  throttled: number;
}

// The emulator's counters every second: Partner Center's calls per 10 s show where its limit was left unused.
function sampleRealism(emulatorUrl: string): { stop(): RealismSample[] } {
  const samples: RealismSample[] = [];
  const t0 = performance.now();
  const timer = setInterval(() => {
    void realismCounters(emulatorUrl).then((counters) => {
      samples.push({
        seconds: (performance.now() - t0) / 1000,
        partnerCenterCalls: Object.entries(counters.callsByKey)
          .filter(([key]) => key.startsWith('pc|'))
          .reduce((sum, [, n]) => sum + n, 0),
        throttled: Object.values(counters.throttled).reduce((sum, n) => sum + n, 0),
      });
    });
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

async function printRealism(
  emulatorUrl: string,
  seconds: number,
  calls: number,
  samples: RealismSample[],
): Promise<Record<string, string | number>> {
  const counters = await realismCounters(emulatorUrl);
  const bound = lowerBound(counters);
  const throttled = Object.values(counters.throttled).reduce((a, b) => a + b, 0);
  console.log(
    `\nlower bound ${bound.seconds.toFixed(1)} s (rate ${bound.rate.toFixed(1)} s: ${bound.rateKey}; latency ${bound.latency.toFixed(1)} s: ${bound.latencyKey})`,
  );
  console.log(
    `the earlier, looser bound (Partner Center as calls ÷ limit − 1 window): ${bound.earlierSeconds.toFixed(1)} s (ratio ${(seconds / bound.earlierSeconds).toFixed(2)} to that)`,
  );
  console.log(`429s ${throttled} (${((100 * throttled) / Math.max(1, calls)).toFixed(2)} %) ${JSON.stringify(counters.throttled)}`);
  // Partner Center calls let through per 10 s of the import (its per-partner limit: 1,000 per 10 s).
  const per10: string[] = [];
  let previous = { calls: 0, throttled: 0 };
  for (let edge = 10; edge <= Math.ceil(seconds / 10) * 10; edge += 10) {
    const last = [...samples].reverse().find((sample) => sample.seconds <= edge) ?? samples[samples.length - 1];
    if (!last) break;
    per10.push(`${edge}s:${last.partnerCenterCalls - previous.calls}/${last.throttled - previous.throttled}`);
    previous = { calls: last.partnerCenterCalls, throttled: last.throttled };
  }
  console.log(`Partner Center calls / 429s per 10 s: ${per10.join(' ')}`);
  return { lowerBound: bound.seconds.toFixed(1), ratio: (seconds / bound.seconds).toFixed(2), throttled };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
