import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_MFA_CODE, DEMO_PASSWORD, demoScenario, ensureCertificateAuthority } from '../libs/microsoft-emulator/src';
import { createApp } from './app.factory';
import { completeConfig, ConfigurationError, parseSettings, type Settings } from './config/app-config';
import { startDemoAutotask } from './config/demo-autotask';
import { startDemoConnectWise } from './config/demo-connectwise';
import { startDemoInbox, startDemoMicrosoft } from './config/demo-environment';
import { DemoPortInUseError } from './config/demo-port';
import { freePort } from './shared/infrastructure/free-port';
import { ensureDatabase, startEmbeddedPostgres } from './shared/infrastructure/database/embedded-postgres';
import { migrateDatabase } from './shared/infrastructure/database/migrate';
import { projectRoot } from './shared/infrastructure/project-root';

// `npm start`: validates the configuration, then (when needed) starts the embedded PostgreSQL under .data/ and,
// in demo mode, the local Microsoft emulator, applies migrations and serves the dashboard and API.
const dataDir = join(projectRoot, '.data');
const stops: (() => Promise<unknown>)[] = [];
let demoPsas: ({ describe(): string[] } | undefined)[] = [];

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = parseSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) return fail(`Sync 365 did not start. ${error.message}\nSee README.md, "Configuration".`);
    throw error;
  }

  const ca = settings.demo ? ensureCertificateAuthority(join(dataDir, 'ca')) : undefined;
  // Node reads NODE_EXTRA_CA_CERTS only when a process starts, so the app runs in a child that trusts the
  // emulator's CA from its first instruction.
  if (ca && process.env.NODE_EXTRA_CA_CERTS !== ca.certPath) return relaunchTrusting(ca.certPath);
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  if (ca) {
    say('Starting the local Microsoft emulator (demo mode)…');
    const demo = await startDemoMicrosoft(settings, ca, dataDir).catch((error: unknown) => {
      if (error instanceof DemoPortInUseError) return fail(`Sync 365 did not start. ${error.message}`);
      throw error;
    });
    if (!demo) return;
    stops.push(() => demo.emulator.close());
    settings = demo.settings;
    // The local PSAs are optional in the demo: without one Sync 365 still runs, and says why it is missing.
    const optional = async <T extends { emulator: { close(): Promise<void> } }>(
      what: string,
      start: () => Promise<T>,
    ): Promise<T | undefined> => {
      say(`Starting ${what} (demo mode)…`);
      try {
        const started = await start();
        stops.push(() => started.emulator.close());
        return started;
      } catch (error) {
        say(`${what[0].toUpperCase()}${what.slice(1)} did not start. ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    };
    demoPsas = [
      await optional('the local ConnectWise PSA emulator', () =>
        startDemoConnectWise(settings.connectWiseEmulatorPort, join(dataDir, 'connectwise')),
      ),
      await optional('the local Autotask emulator', () => startDemoAutotask(settings.autotaskEmulatorPort)),
    ];
  }

  // Demo mode without an SMTP server of its own: alert e-mail goes to a local inbox (MailDev).
  let inboxUrl: string | undefined;
  if (settings.demo && !settings.smtpUrl) {
    const inbox = await startDemoInbox({
      smtpPort: await freePort(),
      webPort: await portOrFree(1080),
      mailDirectory: join(dataDir, 'maildev'),
    });
    stops.push(() => inbox.close());
    settings = { ...settings, smtpUrl: inbox.smtpUrl };
    inboxUrl = inbox.webUrl;
  }

  if (!settings.databaseUrl) {
    say('Starting the embedded PostgreSQL (data in .data/postgres)…');
    const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), persistent: true });
    stops.push(() => postgres.stop());
    settings = { ...settings, databaseUrl: await ensureDatabase(postgres.serverUrl, 'sync365') };
  }

  const config = completeConfig(settings);
  const applied = await migrateDatabase(config.databaseUrl);
  if (applied.length > 0) say(`Applied ${applied.length} database migration(s).`);

  const app = await createApp(config, { demoData: config.demo });
  stops.unshift(() => app.close());
  try {
    await app.listen(config.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      return fail(`Port ${config.port} is already in use. Stop the other program or set PORT to a free port.`);
    throw error;
  }

  say('');
  say(`Sync 365 is running: ${config.appBaseUrl}`);
  say(`API documentation:  ${config.appBaseUrl}/api/docs`);
  if (config.demo) {
    say(`Local Microsoft:    ${config.microsoft.loginBaseUrl} (emulator; its CA is ${join('.data', 'ca', 'emulator-ca.crt')})`);
    for (const psa of demoPsas) for (const line of psa?.describe() ?? []) say(line);
    if (inboxUrl) say(`Alert e-mail inbox: ${inboxUrl} (MailDev: every mail Sync 365 sends lands here)`);
    say('');
    say(`Demo accounts (password ${DEMO_PASSWORD}, MFA code ${DEMO_MFA_CODE}):`);
    const scenario = demoScenario();
    const partnerTenants = new Set(scenario.tenants.map((tenant) => tenant.id));
    for (const user of scenario.users.filter((u) => partnerTenants.has(u.tenantId)))
      say(`  ${user.userPrincipalName.padEnd(40)} ${user.displayName}`);
    say(`Customer users, for the licence portal at ${config.appBaseUrl}/portal once their partner switches it on and adds them:`);
    for (const user of scenario.users.filter((u) => !partnerTenants.has(u.tenantId))) {
      const company = scenario.customers?.find((customer) => customer.id === user.tenantId)?.companyName ?? '';
      say(`  ${user.userPrincipalName.padEnd(40)} ${user.displayName}, ${company}`);
    }
  }
  say('');
  say('Press Ctrl-C to stop.');
}

function relaunchTrusting(caPath: string): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  // A terminal sends Ctrl-C to both processes; the child stops once (stop() is idempotent) and this one follows.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('Stopping…');
  for (const step of stops) await step().catch(() => undefined);
  process.exit(0);
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  void Promise.all(stops.map((s) => s().catch(() => undefined))).then(() => process.exit(1));
}

main().catch((error: unknown) =>
  fail(`Sync 365 stopped because of an unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
);

// The port if nobody listens on it, else one that is free (the demo inbox prefers MailDev's usual 1080).
async function portOrFree(port: number): Promise<number> {
  const { createServer } = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? port : freePort();
}
