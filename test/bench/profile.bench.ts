// Temporary: where one import's time goes, from pg-boss's own job timings.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { EmulatorBrowser, ensureCertificateAuthority, generateScenario, signInThroughForms, startEmulator, sync365DemoApp } from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import { completeConfig, parseSettings } from '../../src/config/app-config';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from '../../src/shared/infrastructure/database/migrate';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

async function main(): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 1000);
  const dataDir = join(projectRoot, '.data', 'bench', String(process.pid));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
  try {
    const databaseUrl = await ensureDatabase(postgres.serverUrl, `profile`);
    await migrateDatabase(databaseUrl);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const registration = sync365DemoApp(baseUrl);
    const emulator = await startEmulator({ ca: ensureCertificateAuthority(join(projectRoot, '.data', 'test')), apps: [registration], scenario: generateScenario({ customers, seed: 42 }),
      throttling: { partnerCenter: { limit: 10_000_000, windowSeconds: 60 }, graph: { limit: 10_000_000, windowSeconds: 10 } } });
    const settings = parseSettings({ PORT: String(port), APP_BASE_URL: baseUrl, LOG_LEVEL: 'error', IMPORT_CONCURRENCY: process.env.IMPORT_CONCURRENCY ?? '8' });
    const config = completeConfig({ ...settings, databaseUrl, microsoft: { loginBaseUrl: emulator.url, partnerCenterBaseUrl: emulator.url, graphBaseUrl: emulator.url, clientId: registration.clientId, clientSecret: registration.clientSecret }, tokenEncryptionKey: randomBytes(32), sessionSecret: randomBytes(32).toString('hex') });
    const app = await createApp(config);
    await app.listen(port, '127.0.0.1');
    const browser = new EmulatorBrowser();
    const login = await browser.get(`${baseUrl}/auth/login`);
    await browser.get((await signInThroughForms(browser, login.location!, { username: 'admin@contoso-partners.example' })).url);
    const page = await browser.get(`${baseUrl}/customers/delegated-admins`);
    const csrf = page.forms.find((f) => f.fields._csrf)!.fields._csrf;
    const grant = await browser.post(`${baseUrl}/customers/delegated-admins/grant`, { _csrf: csrf });
    const started = performance.now();
    await browser.get((await signInThroughForms(browser, grant.location!, { username: 's365@contoso-partners.example' })).url);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    for (;;) {
      const run = (await db.query(`select status from import_runs order by started_at desc limit 1`)).rows[0];
      if (run && (run.status === 'completed' || run.status === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log('import seconds', ((performance.now() - started) / 1000).toFixed(1), 'rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));
    const { rows } = await db.query(`select name, count(*)::int n, round(avg(extract(epoch from started_on - created_on))*1000) wait_ms,
      round(avg(extract(epoch from completed_on - started_on))*1000) run_ms, round(sum(extract(epoch from completed_on - started_on))) run_s_total,
      round(extract(epoch from max(completed_on) - min(started_on))) span_s
      from pgboss.job where state='completed' group by name order by run_s_total desc`);
    console.table(rows);
    const requests = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as Record<string, number>;
    console.table(requests);
    await db.end();
    await app.close();
    await emulator.close();
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
