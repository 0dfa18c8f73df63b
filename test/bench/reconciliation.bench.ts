// npm run bench:reconciliation — a reconciliation run of a generated partner of 10,000 customer tenants × 4 SKUs
// (BENCH_TENANTS changes the sizes), through the real app's FinalizeReconciliationUseCase against embedded PostgreSQL:
// the first run (the baseline: every tenant's snapshot, every discrepancy opened) and a second one after a few
// quantities changed. Prints seconds per phase (timed from outside, around the use case's collaborators), the total,
// its database time (what PostgreSQL spent executing the run's statements, pg_stat_statements) against the bound the
// issue sets (< 5 s of database time at 10,000 × 4 SKUs), the app's peak RSS and heap growth during the run, and
// how long the follow-up work the run's events start (alerts, billing, webhooks) takes and how much memory it needs.
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { LicenceHoldings } from '../../src/modules/licensing';
import { FinalizeReconciliationUseCase } from '../../src/modules/reconciliation/application/finalize-reconciliation.use-case';
import { ExclusionsRepository } from '../../src/modules/reconciliation/application/ports/exclusions.repository';
import { ReconciliationRepository } from '../../src/modules/reconciliation/application/ports/reconciliation.repository';
import type { ImportFinishedPayload } from '../../src/modules/tenants/events';
import { EventOutbox } from '../../src/shared/application/integration-event';
import { Transaction } from '../../src/shared/application/transaction';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import {
  BENCH_SKUS,
  insertBenchOrganization,
  offlineAppConfig,
  seedImportedCustomers,
  STATEMENT_STATISTICS,
  statementMilliseconds,
  trackStatements,
  untilJobsIdle,
} from './bench-kit';

const SIZES = (process.env.BENCH_TENANTS ?? '1000,10000').split(',').map(Number);
const BOUND_SECONDS = 5;
const BOUND_AT = 10_000;
// Tenants whose quantities change before the second run.
const CHANGED_TENANTS = 50;
// How long the follow-up work of each run is watched (webhook jobs for 30,000 discrepancies take much longer).
const FOLLOW_UP_SECONDS = Number(process.env.BENCH_FOLLOW_UP_SECONDS ?? 60);

// Seconds per phase: each collaborator call is timed from outside; what is left of the total is the use case's own
// JavaScript (comparing, finding discrepancies, building events).
class PhaseTimer {
  readonly seconds = new Map<string, number>();
  add(phase: string, seconds: number): void {
    this.seconds.set(phase, (this.seconds.get(phase) ?? 0) + seconds);
  }
  // Replaces `method` of `target` with one that times each call as `phase`.
  wrap(target: object, method: string, phase: string): void {
    const record = target as Record<string, (...args: unknown[]) => unknown>;
    const original = record[method].bind(target);
    record[method] = (...args: unknown[]) => {
      const started = performance.now();
      const result = original(...args);
      if (result instanceof Promise) return result.finally(() => this.add(phase, (performance.now() - started) / 1000));
      this.add(phase, (performance.now() - started) / 1000);
      return result;
    };
  }
  reset(): void {
    this.seconds.clear();
  }
}

const PHASES = {
  lookups: 'lock, run look-ups, time zone, exclusions',
  holdings: 'licence holdings read (LicenceHoldings.of)',
  before: 'previous pictures read (tenantsOfRun, picturesOfRun)',
  save: 'snapshot writes (insertRun, saveTenants, recordCounts)',
  open: 'open discrepancies read, month ends',
  publish: 'outbox publishes',
  commit: 'commit (outbox flush)',
  js: 'changes, discrepancies, events in JS',
};

// Peak RSS and heap while something runs, sampled (a long synchronous stretch delays a sample, not the peak much).
class MemoryWatch {
  private timer?: NodeJS.Timeout;
  peakRss = 0;
  peakHeap = 0;
  baseRss = 0;
  baseHeap = 0;
  start(): void {
    global.gc?.();
    const now = process.memoryUsage();
    this.baseRss = this.peakRss = now.rss;
    this.baseHeap = this.peakHeap = now.heapUsed;
    this.timer = setInterval(() => this.sample(), 20);
  }
  sample(): void {
    const now = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, now.rss);
    this.peakHeap = Math.max(this.peakHeap, now.heapUsed);
  }
  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dataDir = join(projectRoot, '.data', 'bench', `reconciliation-${process.pid}`);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false, settings: STATEMENT_STATISTICS });
  const tables: { tenants: number; rows: Record<string, string>[]; met: boolean | null }[] = [];
  try {
    for (const tenants of SIZES) {
      const result = await benchOnce(tenants, await ensureDatabase(postgres.serverUrl, `bench_reconciliation_${tenants}`));
      tables.push(result);
      print(result);
    }
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const failed = tables.filter((t) => t.met === false);
  if (failed.length > 0) {
    console.error(
      `The reconciliation's database time was ${BOUND_SECONDS} s or more at ${failed.map((t) => t.tenants).join(', ')} tenants.`,
    );
    process.exitCode = 1;
  }
}

function print(result: { tenants: number; rows: Record<string, string>[] }): void {
  console.log(`\nReconciliation at ${result.tenants.toLocaleString('en')} tenants × ${BENCH_SKUS.length} SKUs`);
  console.table(Object.fromEntries(result.rows.map(({ measure, ...runs }) => [measure, runs])));
}

async function benchOnce(
  tenants: number,
  databaseUrl: string,
): Promise<{ tenants: number; rows: Record<string, string>[]; met: boolean | null }> {
  await migrateDatabase(databaseUrl);
  const organizationId = randomUUID();
  const delegatedAdminId = randomUUID();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await trackStatements(db);
  const config = await offlineAppConfig(databaseUrl);
  try {
    await insertBenchOrganization(db, organizationId);
    await seedImportedCustomers(db, organizationId, delegatedAdminId, tenants);
    const app = await createApp(config);
    try {
      const timer = new PhaseTimer();
      instrument(app, timer);
      const finalize = app.get(FinalizeReconciliationUseCase, { strict: false });
      const orm = app.get(MikroORM);
      const columns: Record<string, Record<string, string>> = {};
      let firstDatabaseSeconds = 0;
      for (const label of ['first run', 'second run']) {
        if (label === 'second run') await changeQuantities(db, organizationId);
        const payload = await importFinished(db, organizationId, delegatedAdminId);
        timer.reset();
        const memory = new MemoryWatch();
        memory.start();
        const statementsBefore = await statementMilliseconds(db);
        const started = performance.now();
        const run = await RequestContext.create(orm.em, () => finalize.execute(organizationId, payload));
        const total = (performance.now() - started) / 1000;
        const databaseSeconds = ((await statementMilliseconds(db)) - statementsBefore) / 1000;
        memory.stop();
        if (!run) throw new Error('the reconciliation did not run');
        if (label === 'first run') firstDatabaseSeconds = databaseSeconds;
        const events = Number(
          (
            await db.query('select count(*)::int as n from outbox_messages where organization_id = $1 and payload->>$2 = $3', [
              organizationId,
              'runId',
              run.id,
            ])
          ).rows[0].n,
        );
        // The follow-up work the run's events start (alerts, billing, webhooks), with the app's memory meanwhile, for
        // up to FOLLOW_UP_SECONDS; what is still waiting then is dropped, so the next run is measured on a quiet app.
        const followUpMemory = new MemoryWatch();
        followUpMemory.start();
        const followUp = await untilJobsIdle(db, FOLLOW_UP_SECONDS);
        followUpMemory.stop();
        const left = await db.query(`delete from pgboss.job where state in ('created', 'retry') and name like 'event.%'`);
        await db.query('update outbox_messages set published_at = now() where published_at is null');
        const column: Record<string, string> = {};
        const measured = [...timer.seconds.values()].reduce((sum, s) => sum + s, 0);
        for (const [key, phase] of Object.entries(PHASES)) {
          const seconds = key === 'js' ? Math.max(0, total - measured) : (timer.seconds.get(phase) ?? 0);
          column[phase] = `${seconds.toFixed(3)} s`;
        }
        column['total (finalize)'] = `${total.toFixed(3)} s`;
        column['database time (PostgreSQL executing its statements)'] = `${databaseSeconds.toFixed(3)} s`;
        column['changes / open discrepancies'] = `${run.changes} / ${run.openDiscrepancies}`;
        column['events published'] = String(events);
        column['peak RSS (app process)'] = `${mb(memory.peakRss)} (+${mb(memory.peakRss - memory.baseRss)})`;
        column['peak heap growth'] = `+${mb(memory.peakHeap - memory.baseHeap)}`;
        column['follow-up jobs done after'] = left.rowCount
          ? `not in ${FOLLOW_UP_SECONDS} s (${left.rowCount} jobs waiting)`
          : `${followUp.toFixed(1)} s`;
        column['follow-up peak RSS'] = `${mb(followUpMemory.peakRss)} (+${mb(followUpMemory.peakRss - followUpMemory.baseRss)})`;
        columns[label] = column;
      }
      const bounded = tenants >= BOUND_AT;
      const met = bounded ? firstDatabaseSeconds < BOUND_SECONDS : null;
      const rows = Object.keys(columns['first run']).map((measure) => ({
        measure,
        'first run': columns['first run'][measure],
        'second run': columns['second run'][measure],
      }));
      rows.push({
        measure: `bound: first run's database time < ${BOUND_SECONDS} s at ${BOUND_AT.toLocaleString('en')} × 4 SKUs`,
        'first run': met === null ? 'n/a at this size' : met ? 'met' : 'NOT MET',
        'second run': '',
      });
      return { tenants, rows, met };
    } finally {
      await app.close();
    }
  } finally {
    await db.end();
  }
}

// Times the finalize use case's collaborators (the app's own singletons, so the use case calls these).
function instrument(app: Awaited<ReturnType<typeof createApp>>, timer: PhaseTimer): void {
  const runs = app.get(ReconciliationRepository, { strict: false });
  for (const method of ['lockOrganization', 'findByImportRun', 'previousRun', 'timeZoneOf']) timer.wrap(runs, method, PHASES.lookups);
  timer.wrap(app.get(ExclusionsRepository, { strict: false }), 'list', PHASES.lookups);
  for (const method of ['tenantsOfRun', 'picturesOfRun']) timer.wrap(runs, method, PHASES.before);
  for (const method of ['insertRun', 'saveTenants', 'recordCounts']) timer.wrap(runs, method, PHASES.save);
  timer.wrap(runs, 'openDiscrepancyKeys', PHASES.open);
  timer.wrap(runs, 'freezeMonthEnd', PHASES.open);
  timer.wrap(app.get(LicenceHoldings, { strict: false }), 'of', PHASES.holdings);
  const outbox = app.get(EventOutbox, { strict: false }) as unknown as Record<string, unknown>;
  for (const method of ['publish', 'publishAll']) if (typeof outbox[method] === 'function') timer.wrap(outbox, method, PHASES.publish);
  // The commit: from the end of the transaction's work to the end of `run` (what the unit of work flushes then).
  const transaction = app.get(Transaction, { strict: false });
  const run = transaction.run.bind(transaction);
  transaction.run = <T>(work: () => Promise<T>) => {
    let workEnded = 0;
    return run(async () => {
      const result = await work();
      workEnded = performance.now();
      return result;
    }).finally(() => timer.add(PHASES.commit, (performance.now() - workEnded) / 1000));
  };
}

// The import's finished event as the tenants module sends it: every tenant read, a minute after the previous one.
let clockMs = Date.now() - 60 * 60_000;
async function importFinished(db: Client, organizationId: string, delegatedAdminId: string): Promise<ImportFinishedPayload> {
  const { rows } = await db.query<{ tenant_id: string; company_name: string }>(
    'select tenant_id::text, company_name from customer_tenants where organization_id = $1 order by company_name',
    [organizationId],
  );
  const startedAt = new Date((clockMs += 60_000)).toISOString();
  const finishedAt = new Date((clockMs += 60_000)).toISOString();
  return {
    importRunId: randomUUID(),
    delegatedAdminId,
    trigger: 'manual',
    status: 'completed',
    error: null,
    startedAt,
    finishedAt,
    tenants: rows.map((row) => ({ tenantId: row.tenant_id, companyName: row.company_name, read: true, reason: null })),
  };
}

// A few customers bought or gave back seats between the runs: Partner Center's quantity, the directory and the
// licence figures move together.
async function changeQuantities(db: Client, organizationId: string): Promise<void> {
  const { rows } = await db.query<{ tenant_id: string }>(
    'select tenant_id::text from customer_tenants where organization_id = $1 order by company_name limit $2',
    [organizationId, CHANGED_TENANTS],
  );
  const ids = rows.map((row) => row.tenant_id);
  const sku = BENCH_SKUS[0];
  await db.query(
    `update tenant_subscriptions set quantity = quantity + 3, changed_at = now() where organization_id = $1 and tenant_id = any($2::uuid[]) and subscription_id = md5(tenant_id::text || $3)`,
    [organizationId, ids, sku.id],
  );
  await db.query(
    `update tenant_directory_subscriptions set total_licenses = total_licenses + 3, changed_at = now() where organization_id = $1 and tenant_id = any($2::uuid[]) and sku_id = $3`,
    [organizationId, ids, sku.id],
  );
  await db.query(
    `update tenant_licences set active_units = active_units + 3, consumed_units = consumed_units + 1, changed_at = now() where organization_id = $1 and tenant_id = any($2::uuid[]) and sku_id = $3`,
    [organizationId, ids, sku.id],
  );
}

main()
  // Exits once the tables are printed: a handle the closed app left behind must not keep the shared bench lock.
  .then(() => process.exit())
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
