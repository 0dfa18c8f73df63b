// Pieces every benchmark shares: the app's configuration against a local Microsoft, the emulator in a process of its
// own, and waiting for the app's background work.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { Client } from 'pg';
import { PartnerCenterDirectory } from '../../src/modules/partner-center';
import { EmulatorBrowser, signInThroughForms, sync365DemoApp } from '../../libs/microsoft-emulator/src';
import { completeConfig, parseSettings, type AppConfig } from '../../src/config/app-config';
import { freePort } from '../../src/shared/infrastructure/free-port';

// The app's configuration (settings as environment variables: PORT, APP_BASE_URL, IMPORT_CONCURRENCY…) pointed at the
// local Microsoft at `emulatorUrl`, with the demo app registration and fresh secrets.
export function emulatedAppConfig(env: Record<string, string | undefined>, databaseUrl: string, emulatorUrl: string): AppConfig {
  const settings = parseSettings({ LOG_LEVEL: 'error', ...env });
  const registration = sync365DemoApp(settings.appBaseUrl);
  return completeConfig({
    ...settings,
    databaseUrl,
    microsoft: {
      loginBaseUrl: emulatorUrl,
      partnerCenterBaseUrl: emulatorUrl,
      graphBaseUrl: emulatorUrl,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
    },
    tokenEncryptionKey: randomBytes(32),
    sessionSecret: randomBytes(32).toString('hex'),
  });
}

// The app's configuration for benches that reach no Microsoft (they read what the import stored): every Microsoft
// address is a closed port.
export async function offlineAppConfig(databaseUrl: string): Promise<AppConfig> {
  const port = await freePort();
  const settings = parseSettings({ PORT: String(port), APP_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'error' });
  return completeConfig({
    ...settings,
    databaseUrl,
    microsoft: {
      loginBaseUrl: 'https://127.0.0.1:9',
      partnerCenterBaseUrl: 'https://127.0.0.1:9',
      graphBaseUrl: 'https://127.0.0.1:9',
      clientId: randomUUID(),
      clientSecret: 'unused',
    },
    tokenEncryptionKey: randomBytes(32),
    sessionSecret: randomBytes(32).toString('hex'),
  });
}

// The emulator with a generated partner of `customers` customers in a process of its own (bench-emulator.ts), so its
// work is not the app's; realistic latency and throttling when BENCH_REALISTIC is set.
export async function forkBenchEmulator(customers: number, appBaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(__dirname, 'bench-emulator.js'), [], {
    env: {
      ...process.env,
      BENCH_EMULATOR_CUSTOMERS: String(customers),
      BENCH_APP_BASE_URL: appBaseUrl,
      BENCH_REALISM: process.env.BENCH_REALISTIC ? JSON.stringify({ seed: 42 }) : '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the emulator process ended (${code})`)));
  });
  return { child, url };
}

// Seconds until no job is waiting or running (jobs deferred to later aside) and the outbox is empty, twice in a row.
// Gives up after `limitSeconds`: a stuck job must not hang the bench (the printed wait shows it).
export async function untilJobsIdle(db: Client, limitSeconds: number): Promise<number> {
  const started = performance.now();
  for (let quiet = 0; quiet < 2;) {
    const { rows } = await db.query<{ busy: number }>(
      `select (select count(*) from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now())::int
            + (select count(*) from outbox_messages where published_at is null)::int as busy`,
    );
    quiet = rows[0].busy === 0 ? quiet + 1 : 0;
    if (performance.now() - started > limitSeconds * 1000) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return (performance.now() - started) / 1000;
}

// A partner admin signs in to the dashboard and presses Grant Partner Center Consent: answers the browser and the
// redirect to Microsoft's sign-in that the service account then walks.
export async function signInAndPressGrant(baseUrl: string): Promise<{ browser: EmulatorBrowser; grant: { location?: string } }> {
  const browser = new EmulatorBrowser();
  const login = await browser.get(`${baseUrl}/auth/login`);
  await browser.get((await signInThroughForms(browser, login.location!, { username: 'admin@contoso-partners.example' })).url);
  const page = await browser.get(`${baseUrl}/customers/delegated-admins`);
  const csrf = page.forms.find((f) => f.fields._csrf)!.fields._csrf;
  const grant = await browser.post(`${baseUrl}/customers/delegated-admins/grant`, { _csrf: csrf });
  return { browser, grant };
}

// The reads an import makes of each tenant (its licences, subscriptions and directory, and its GDAP access), made by the
// app's own Microsoft adapter alone, `concurrency` tenants at a time as the import's workers do, with no job, event or
// database write: Microsoft calls per second of the same mix of calls, tokens and limiter as the import's, on the same
// emulator. The import's call rate over this one is the share its own per-tenant work leaves of what its client can do.
export async function appReadRate(app: INestApplication, db: Client, emulatorUrl: string, concurrency: number) {
  const { rows } = await db.query<{ organization_id: string; delegated_admin_id: string; tenant_id: string }>(
    `select organization_id, delegated_admin_id, tenant_id from customer_tenants where status = 'active' order by tenant_id`,
  );
  const directory = app.get(PartnerCenterDirectory);
  const orm = app.get(MikroORM);
  const calls = async () =>
    Object.entries((await (await fetch(`${emulatorUrl}/__emulator/requests`)).json()) as Record<string, number>)
      .filter(([route]) => / \/v1\/| \/v1\.0\/|oauth2\/v2\.0\/token/.test(route))
      .reduce((sum, [, n]) => sum + n, 0);
  const before = await calls();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < rows.length) {
        const t = rows[next++];
        await RequestContext.create(orm.em, () =>
          Promise.all([
            directory.tenantLicences(t.organization_id, t.delegated_admin_id, t.tenant_id),
            directory.gdapAccess(t.organization_id, t.delegated_admin_id, t.tenant_id),
          ]),
        ).catch(() => undefined); // a refusal is a call answered, as in the import
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const made = (await calls()) - before;
  return { tenants: rows.length, seconds, calls: made, callsPerSecond: made / seconds };
}

// The pages measured at partner scale (issue 19: 10,000 tenants, ≥ 100,000 licence rows) when fewer customers were
// imported: copies of the imported tenants (new tenant ids, numbered names), each with everything a read records for
// it — licences, subscriptions (new ids, their directory subscriptions still naming them), directory subscriptions, SKU
// names and the read row — so a copy costs a page what an imported tenant costs. Then, where there are still fewer licence rows,
// copies of licence rows under made-up SKUs. One organization, as in the benches.
export async function seedForPages(
  db: Client,
  wanted = { tenants: 10_000, licences: 100_000 },
): Promise<{ tenants: number; tenantsAdded: number; licences: number; licencesAdded: number }> {
  const count = async (table: string) => Number((await db.query(`select count(*)::int as n from ${table}`)).rows[0].n);
  const tenantsBefore = await count('customer_tenants');
  if (tenantsBefore > 0 && tenantsBefore < wanted.tenants) {
    await db.query('begin');
    await db.query(
      `create temporary table tenant_copies on commit drop as
       select tenant_id as source, gen_random_uuid() as tenant_id, g from customer_tenants cross join generate_series(1, $1::int) g`,
      [Math.ceil((wanted.tenants - tenantsBefore) / tenantsBefore)],
    );
    // Besides a new row id and tenant id, what else a copy changes (unique per organization, or a name to tell it by).
    const changed: Record<string, string> = {
      customer_tenants: `, 'company_name', t.company_name || ' ' || m.g`,
      tenant_licence_reads: '',
      tenant_licences: '',
      tenant_subscriptions: `, 'subscription_id', t.subscription_id || '-' || m.g`,
      tenant_directory_subscriptions: `, 'commerce_subscription_id', t.commerce_subscription_id || '-' || m.g`,
      tenant_sku_names: '',
    };
    for (const [table, columns] of Object.entries(changed))
      await db.query(
        `insert into ${table}
         select (jsonb_populate_record(null::${table}, to_jsonb(t) || jsonb_build_object('id', gen_random_uuid(), 'tenant_id', m.tenant_id${columns}))).*
         from ${table} t join tenant_copies m on m.source = t.tenant_id`,
      );
    await db.query('commit');
  }
  const licencesBefore = await count('tenant_licences');
  if (licencesBefore > 0 && licencesBefore < wanted.licences)
    await db.query(
      `insert into tenant_licences
       select (jsonb_populate_record(null::tenant_licences, to_jsonb(l) || jsonb_build_object('id', gen_random_uuid(), 'sku_id', l.sku_id || '-bench-' || g,
         'sku_part_number', l.sku_part_number || '_B' || g))).*
       from tenant_licences l cross join generate_series(1, $1::int) g`,
      [Math.ceil((wanted.licences - licencesBefore) / licencesBefore)],
    );
  await db.query('analyze');
  const tenants = await count('customer_tenants');
  const licences = await count('tenant_licences');
  return { tenants, tenantsAdded: tenants - tenantsBefore, licences, licencesAdded: licences - licencesBefore };
}

// The SKUs of the benches' stored organizations (reconciliation, billing).
export const BENCH_SKUS = [
  { id: '05e9a617-0261-4cee-bb44-138d3ef5d965', part: 'SPE_E3', name: 'Microsoft 365 E3', term: 'P1Y' },
  { id: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', part: 'SPB', name: 'Microsoft 365 Business Premium', term: 'P1M' },
  { id: '4b9405b0-7788-4568-add1-99614e613b69', part: 'EXCHANGESTANDARD', name: 'Exchange Online (Plan 1)', term: 'P1Y' },
  { id: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', part: 'VISIOCLIENT', name: 'Visio Plan 2', term: 'P1M' },
];

export async function insertBenchOrganization(db: Client, organizationId: string): Promise<void> {
  await db.query(`insert into organizations (id, entra_tenant_id, name, created_at) values ($1, $2, 'Bench Partners', now())`, [
    organizationId,
    randomUUID(),
  ]);
}

// What an import of that many customers stores, written set-based: its customers, their licences, Partner Center
// subscriptions and directory subscriptions (read, sold by the partner). Like the generated partner of `npm run bench`, most SKUs
// have unused seats on subscriptions that renew (so most open an unassigned-seats discrepancy), and a few are
// over-assigned, suspended, ending without auto-renew or differ between Partner Center and the directory.
export async function seedImportedCustomers(db: Client, organizationId: string, delegatedAdminId: string, tenants: number): Promise<void> {
  await db.query(
    `insert into customer_tenants (id, organization_id, delegated_admin_id, tenant_id, company_name, domain, relationship, status, created_at, changed_at, listed_at)
     select gen_random_uuid(), $1, $2, gen_random_uuid(), 'Customer ' || lpad(n::text, 6, '0'), 'customer' || n || '.example', 'reseller', 'active', now(), now(), now()
     from generate_series(1, $3) as n`,
    [organizationId, delegatedAdminId, tenants],
  );
  await db.query(
    `insert into tenant_licence_reads (organization_id, tenant_id, read_at, directory_read_at) select organization_id, tenant_id, now(), now() from customer_tenants where organization_id = $1`,
    [organizationId],
  );
  for (const [i, sku] of BENCH_SKUS.entries()) {
    const hash = `(hashtext(c.tenant_id::text || '${sku.id}') & 1023)`;
    const seats = `(5 + ((hashtext(c.tenant_id::text) & 1023) + ${i * 7}) % 60)`;
    // 3 in 100 over-assigned, most others with 0–3 unused seats.
    const consumed = `case when ${hash} < 30 then ${seats} + 2 else greatest(0, ${seats} - (${hash} & 3)) end`;
    const status = `case when ${hash} between 30 and 49 then 'suspended' else 'active' end`;
    const autoRenew = `not (${hash} between 50 and 79)`;
    const termDays = sku.term === 'P1Y' ? 365 : 30;
    const endsIn = `((${hash} * 7) % ${termDays}) + 1`;
    await db.query(
      `insert into tenant_licences (id, organization_id, tenant_id, sku_id, sku_part_number, capability_status, active_units, warning_units, suspended_units, consumed_units, changed_at)
       select gen_random_uuid(), $1, c.tenant_id, $2, $3, 'Enabled', ${seats}, 0, 0, ${consumed}, now() from customer_tenants c where c.organization_id = $1`,
      [organizationId, sku.id, sku.part],
    );
    await db.query(
      `insert into tenant_subscriptions (id, organization_id, tenant_id, subscription_id, offer_id, offer_name, quantity, term_duration, billing_cycle, status,
         auto_renew_enabled, is_trial, commitment_end_date, cancellation_allowed_until_date, changed_at)
       select gen_random_uuid(), $1, c.tenant_id, md5(c.tenant_id::text || $2), 'CFQ7TTC0' || $3, $4, ${seats}, $5, 'monthly', ${status},
         ${autoRenew}, false, now() + (${endsIn}) * interval '1 day', now() - (${termDays} - ${endsIn} - 7) * interval '1 day', now()
       from customer_tenants c where c.organization_id = $1`,
      [organizationId, sku.id, sku.part, sku.name, sku.term],
    );
    // 1 in 100 directory subscriptions disagrees with Partner Center's quantity.
    await db.query(
      `insert into tenant_directory_subscriptions (id, organization_id, tenant_id, directory_subscription_id, commerce_subscription_id, sku_id, sku_part_number, status, total_licenses, is_trial, changed_at, sold_by_you)
       select gen_random_uuid(), $1, c.tenant_id, gen_random_uuid()::text, md5(c.tenant_id::text || $2), $2, $3, 'Enabled',
         ${seats} + case when ${hash} between 80 and 89 then 1 else 0 end, false, now(), true
       from customer_tenants c where c.organization_id = $1`,
      [organizationId, sku.id, sku.part],
    );
  }
  await db.query('analyze');
}

// "Database time" as PostgreSQL itself counts it: the execution time of statements (pg_stat_statements, top-level
// statements only, so a trigger's or a foreign-key check's time is counted once, in its statement's). A bench starts its
// PostgreSQL with these settings and calls trackStatements in each database it measures.
export const STATEMENT_STATISTICS = { shared_preload_libraries: 'pg_stat_statements' };

export async function trackStatements(db: Client): Promise<void> {
  await db.query('create extension if not exists pg_stat_statements');
}

// Milliseconds PostgreSQL has spent executing statements in this database so far, less pg-boss's own (its queue polling
// and bookkeeping run all the time, whatever the app does) and these statistics' reads: read before and after the work
// measured, the difference is that work's database time, and that of whatever else the app ran meanwhile.
export async function statementMilliseconds(db: Client): Promise<number> {
  const { rows } = await db.query<{ ms: number }>(
    `select coalesce(sum(total_exec_time), 0)::float as ms from pg_stat_statements
     where dbid = (select oid from pg_database where datname = current_database())
       and query not like '%pgboss.%' and query not like '%pg_stat_statements%'`,
  );
  return rows[0].ms;
}
