// npm run bench:import — the whole import through the real app, its jobs and PostgreSQL, against a generated
// partner in the local Microsoft: consent, then every customer tenant, its licences and GDAP. Prints a table.
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
import { emulatedAppConfig, signInAndPressGrant } from './bench-kit';

const SIZES = (process.env.BENCH_CUSTOMERS ?? '1000,10000').split(',').map(Number);
const CONCURRENCY = process.env.IMPORT_CONCURRENCY ?? '8';

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
  const registration = sync365DemoApp(baseUrl);
  const emulator = await startEmulator({
    ca: ensureCertificateAuthority(join(projectRoot, '.data', 'test')),
    apps: [registration],
    scenario: generateScenario({ customers, seed: 42 }),
    // Raw speed of Sync 365 itself: Microsoft's throttling is exercised by the tests and bench:partner-center.
    throttling: { partnerCenter: { limit: 10_000_000, windowSeconds: 60 }, graph: { limit: 10_000_000, windowSeconds: 10 } },
  });
  const config = emulatedAppConfig(
    { PORT: String(port), APP_BASE_URL: baseUrl, IMPORT_CONCURRENCY: CONCURRENCY },
    databaseUrl,
    emulator.url,
  );
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  try {
    const { browser, grant } = await signInAndPressGrant(baseUrl);
    const started = performance.now();
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
    };
  } finally {
    await app.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
