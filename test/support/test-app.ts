import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { ensureCertificateAuthority, startEmulator, sync365DemoApp, type RunningEmulator } from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import type { AppOptions } from '../../src/app.module';
import { completeConfig, parseSettings, type AppConfig } from '../../src/config/app-config';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { PgBossService } from '../../src/shared/infrastructure/jobs/pg-boss.service';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  database: TestDatabase;
  config: AppConfig;
  baseUrl: string;
  emulator: RunningEmulator;
  // Every JSON log line the app wrote, for assertions about what is (not) logged.
  logs: string[];
  close(): Promise<void>;
  // A process that stops: running jobs are handed back to the queue (pg-boss fails them for a retry); the database
  // and emulator stay.
  kill(): Promise<void>;
  // kill -9: the process is gone without a word, so its running jobs stay 'active' in the queue, as nobody told
  // pg-boss otherwise; the database and emulator stay.
  crash(): Promise<void>;
  // Reads the app's database directly (assertions about what was stored).
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface TestAppOptions extends Omit<AppOptions, 'logDestination'> {
  // Start a second app on the same database and local Microsoft (a restart, or another instance).
  // The secrets come along: another instance of the same deployment reads the tokens the first one stored.
  sharing?: Pick<TestApp, 'database' | 'emulator' | 'baseUrl' | 'config'>;
  // The SMTP server alert e-mail goes to (SMTP_URL), e.g. a MailDev the test started.
  smtpUrl?: string;
}

// The whole product as `npm start` runs it: a fresh migrated database, the local Microsoft emulator on https
// (trusted through NODE_EXTRA_CA_CERTS, set by `npm test`) and the real app listening on a free port.
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { sharing, smtpUrl, ...appOptions } = options;
  const db: TestDatabase = sharing?.database ?? (await createTestDatabase());
  const port = sharing ? Number(new URL(sharing.baseUrl).port) : await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ca = ensureCertificateAuthority(join(projectRoot, '.data', 'test'));
  const registration = sync365DemoApp(baseUrl);
  const emulator = sharing?.emulator ?? (await startEmulator({ ca, apps: [registration] }));
  const settings = parseSettings({
    PORT: String(port),
    APP_BASE_URL: baseUrl,
    LOG_LEVEL: 'info',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
  });
  const config = completeConfig({
    ...settings,
    databaseUrl: db.url,
    microsoft: {
      loginBaseUrl: emulator.url,
      partnerCenterBaseUrl: emulator.url,
      graphBaseUrl: emulator.url,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
    },
    tokenEncryptionKey: sharing?.config.tokenEncryptionKey ?? randomBytes(32),
    sessionSecret: sharing?.config.sessionSecret ?? randomBytes(32).toString('base64url'),
  });
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp(config, { ...appOptions, logDestination });
  await app.listen(port, '127.0.0.1');
  let appClosed = false;
  const closeApp = async () => {
    if (appClosed) return;
    appClosed = true;
    await app.close();
  };
  return {
    app,
    database: db,
    config,
    baseUrl,
    emulator,
    logs,
    // Closes the app, and the database and local Microsoft it created (not those it shares).
    async close() {
      await closeApp();
      if (sharing) return;
      await emulator.close();
      await db.drop();
    },
    async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async kill() {
      await app.get(PgBossService).boss.stop({ graceful: false, wait: true });
      await closeApp();
    },
    async crash() {
      // pg-boss cannot stop without failing its running jobs (failWip), so their rows are put back as a killed
      // process leaves them: active, with the start and expiry they had.
      const boss = app.get(PgBossService).boss;
      const { rows } = await boss
        .getDb()
        .executeSql(`select id, started_on, expire_in, retry_count from pgboss.job where state = 'active'`, []);
      await boss.stop({ graceful: false, wait: true });
      await closeApp();
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        for (const row of rows as { id: string; started_on: Date; expire_in: string; retry_count: number }[]) {
          await client.query(
            `update pgboss.job set state = 'active', started_on = $2, expire_in = $3, retry_count = $4, start_after = now(), completed_on = null, output = null where id = $1`,
            [row.id, row.started_on, row.expire_in, row.retry_count],
          );
        }
      } finally {
        await client.end();
      }
    },
  };
}
