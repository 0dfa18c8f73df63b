// npm run bench:memory — where the app's memory goes during an import, its follow-up work and the pages, phase by
// phase: peak RSS, V8 heap used / total, external and array buffers (process.memoryUsage every 50 ms), and the V8
// heap used after a full GC at the end of each phase (what is really kept, as opposed to garbage not collected yet).
// The app runs alone in this process (no other app instance before it, the emulator in a child process), so its RSS
// is the product's. BENCH_CUSTOMERS (default 1000), IMPORT_CONCURRENCY (default 32), BENCH_REALISTIC=1 for npm run
// bench's realistic Microsoft, BENCH_PAGES=0 skips the pages (10,000 tenants, 100,000 licence rows),
// BENCH_ALLOCATIONS=1 (or =follow-up) sums what the import (or its follow-up jobs) allocated by function,
// BENCH_TIMELINE=1 logs RSS, heap and the running jobs every half second of the follow-up,
// BENCH_HEAP_SNAPSHOTS=1 writes a heap snapshot at the end of each phase into .data/bench/ (Chrome DevTools, Memory tab).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from 'node:inspector/promises';
import { Client } from 'pg';
import { signInThroughForms } from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { emulatedAppConfig, forkBenchEmulator, seedForPages, signInAndPressGrant } from './bench-kit';

const MB = 1e6;
interface Peak {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

// A full GC without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function main(): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 1000);
  const concurrency = process.env.IMPORT_CONCURRENCY ?? '32';
  const snapshots = process.env.BENCH_HEAP_SNAPSHOTS === '1';
  const dataDir = join(projectRoot, '.data', 'bench', String(process.pid));
  const snapshotDir = join(projectRoot, '.data', 'bench', `heap-${process.pid}`);
  if (snapshots) mkdirSync(snapshotDir, { recursive: true });
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const { child: emulator, url: emulatorUrl } = await forkBenchEmulator(customers, baseUrl);
  const phases: { name: string; seconds: number; peak: Peak; kept: number; rssAfterGc: number }[] = [];
  let current: Peak = sample();
  const timer = setInterval(() => (current = max(current, sample())), 50);
  let phaseStart = performance.now();
  const endPhase = (name: string) => {
    const peak = max(current, sample());
    gc();
    const after = process.memoryUsage();
    phases.push({ name, seconds: (performance.now() - phaseStart) / 1000, peak, kept: after.heapUsed, rssAfterGc: after.rss });
    log(
      `${name}: peak RSS ${(peak.rss / MB).toFixed(0)} MB, heap used ${(peak.heapUsed / MB).toFixed(0)} MB; after GC ${(after.heapUsed / MB).toFixed(0)} MB`,
    );
    log(
      `after GC: ${residentKinds()}; V8 committed ${getHeapSpaceStatistics()
        .map((s) => `${s.space_name.replace(/_space$/, '')} ${mb(s.physical_space_size)}`)
        .join(', ')}`,
    );
    if (snapshots)
      log(`heap snapshot ${writeHeapSnapshot(join(snapshotDir, `${phases.length}-${name.replace(/\W+/g, '-')}.heapsnapshot`))}`);
    current = sample();
    phaseStart = performance.now();
  };
  try {
    const databaseUrl = await ensureDatabase(postgres.serverUrl, 'memory');
    await migrateDatabase(databaseUrl);
    const config = emulatedAppConfig(
      { PORT: String(port), APP_BASE_URL: baseUrl, IMPORT_CONCURRENCY: concurrency },
      databaseUrl,
      emulatorUrl,
    );
    const app = await createApp(config);
    await app.listen(port, '127.0.0.1');
    const { browser, grant } = await signInAndPressGrant(baseUrl);
    await new Promise((r) => setTimeout(r, 2000));
    endPhase('app started, signed in');

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const allocations = process.env.BENCH_ALLOCATIONS === '1' ? await startAllocationSampling('the import') : undefined;
    await browser.get((await signInThroughForms(browser, grant.location!, { username: 's365@contoso-partners.example' })).url);
    for (;;) {
      const { rows } = await db.query(`select count(*)::int as n, bool_and(status in ('completed', 'failed')) as done from import_runs`);
      if (rows[0].n >= 1 && rows[0].done) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (allocations) await allocations.stop();
    endPhase(`import of ${customers} customers`);
    // BENCH_TIMELINE=1: every half second of the follow-up, the app's RSS and heap beside the jobs then running.
    const timeline = process.env.BENCH_TIMELINE === '1';
    const followUpAllocations =
      process.env.BENCH_ALLOCATIONS === 'follow-up' ? await startAllocationSampling('the follow-up jobs') : undefined;

    for (let quiet = 0; quiet < 2;) {
      const { rows } = await db.query(
        `select (select count(*) from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now())::int
              + (select count(*) from outbox_messages where published_at is null)::int as busy`,
      );
      quiet = rows[0].busy === 0 ? quiet + 1 : 0;
      if (timeline) {
        const active = await db.query<{ name: string; n: number }>(
          `select name, count(*)::int as n from pgboss.job where state = 'active' group by name order by name`,
        );
        const m = process.memoryUsage();
        log(
          `follow-up: RSS ${mb(m.rss)}, heap used ${mb(m.heapUsed)} / ${mb(m.heapTotal)}; active ${active.rows.map((r) => `${r.name.replace(/^event\./, '')} ${r.n}`).join(', ') || 'none'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    if (followUpAllocations) await followUpAllocations.stop();
    endPhase('follow-up jobs (reconciliation, alerts, webhooks)');

    if (process.env.BENCH_PAGES !== '0') {
      await seedForPages(db);
      const cookie = Object.entries(browser.cookies(baseUrl))
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
      const tenantId = (await db.query(`select tenant_id from customer_tenants order by company_name limit 1 offset 5000`)).rows[0]
        .tenant_id;
      for (const url of ['/customers', `/tenants/${tenantId}`, '/licensing']) {
        for (let i = 0; i < 10; i++) {
          const response = await fetch(`${baseUrl}${url}`, { headers: { cookie }, redirect: 'manual' });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        }
        endPhase(`page ${url.startsWith('/tenants/') ? '/tenants/:id' : url} ×10 (10,000 tenants)`);
      }
    }
    await db.end();
    await app.close();
  } finally {
    clearInterval(timer);
    const ended = new Promise((resolve) => emulator.once('exit', resolve));
    emulator.send('stop');
    await ended;
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\n${customers} customers, IMPORT_CONCURRENCY=${concurrency}, Microsoft ${process.env.BENCH_REALISTIC ? 'realistic' : 'at once'}\n`,
  );
  console.log('| phase | s | peak RSS | peak heap used / total | peak external / array buffers | heap used after GC | RSS after GC |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of phases)
    console.log(
      `| ${p.name} | ${p.seconds.toFixed(0)} | ${mb(p.peak.rss)} | ${mb(p.peak.heapUsed)} / ${mb(p.peak.heapTotal)} | ${mb(p.peak.external)} / ${mb(p.peak.arrayBuffers)} | ${mb(p.kept)} | ${mb(p.rssAfterGc)} |`,
    );
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

// BENCH_ALLOCATIONS=1: every allocation of the import sampled (V8's sampling heap profiler, objects collected since
// included), summed by function and by package: what makes the garbage the heap grows with. BENCH_ALLOCATIONS=follow-up:
// those of the follow-up jobs instead.
async function startAllocationSampling(phase: string): Promise<{ stop(): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop() {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
      session.disconnect();
      const byFunction = new Map<string, number>();
      const byPackage = new Map<string, number>();
      const byOwnFunction = new Map<string, number>();
      let total = 0;
      const visit = (node: ProfileNode, stack: string[], ownStack: string[]) => {
        const { functionName, url, lineNumber } = node.callFrame;
        const where = url.replace(/^file:\/\//, '').replace(projectRoot, '');
        const pkg =
          /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
          (where.startsWith('/dist/') ? where.split('/').slice(2, 5).join('/') : where || '(native)');
        const here = [...stack, pkg];
        const mine =
          pkg.startsWith('src/') || pkg.startsWith('libs/')
            ? [...ownStack, `${functionName || '(anonymous)'} ${where.replace('/dist/', '')}:${lineNumber + 1}`]
            : ownStack;
        if (node.selfSize > 0) {
          total += node.selfSize;
          const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
          byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
          // Attributed to the innermost frame of our own code (src/, libs/) on the stack, else the package.
          const own = [...here].reverse().find((p) => p.startsWith('src/') || p.startsWith('libs/')) ?? pkg;
          byPackage.set(own, (byPackage.get(own) ?? 0) + node.selfSize);
          const ownFn = mine.length > 0 ? mine.slice(-2).reverse().join(' ← ') : '(no own frame)';
          byOwnFunction.set(ownFn, (byOwnFunction.get(ownFn) ?? 0) + node.selfSize);
        }
        for (const child of node.children) visit(child, here, mine);
      };
      visit(profile.head, [], []);
      const top = (map: Map<string, number>, n: number) =>
        [...map]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([k, v]) => `| ${k} | ${mb(v)} |`)
          .join('\n');
      console.log(
        `\nAllocated during ${phase} (sampled): ${mb(total)}\n\n| innermost own code (or package) | allocated |\n|---|---|\n${top(byPackage, 30)}`,
      );
      console.log(`\n| function | allocated |\n|---|---|\n${top(byFunction, 40)}`);
      console.log(`\n| innermost own functions (two) | allocated |\n|---|---|\n${top(byOwnFunction, 40)}`);
    },
  };
}

function sample(): Peak {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

function max(a: Peak, b: Peak): Peak {
  return {
    rss: Math.max(a.rss, b.rss),
    heapUsed: Math.max(a.heapUsed, b.heapUsed),
    heapTotal: Math.max(a.heapTotal, b.heapTotal),
    external: Math.max(a.external, b.external),
    arrayBuffers: Math.max(a.arrayBuffers, b.arrayBuffers),
  };
}

// What the resident memory is: anonymous (V8's heap, malloc) or mapped files (the node binary, libraries).
function residentKinds(): string {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1000;
  return `RSS anonymous ${mb(kb('RssAnon'))}, files ${mb(kb('RssFile'))}`;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const started = performance.now();
function log(message: string): void {
  console.error(`[memory ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
