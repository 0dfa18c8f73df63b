import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ensureCertificateAuthority, startEmulator, sync365DemoApp, type RunningEmulator } from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import type { AppOptions } from '../../src/app.module';
import { completeConfig, parseSettings, type AppConfig } from '../../src/config/app-config';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  baseUrl: string;
  emulator: RunningEmulator;
  // Every JSON log line the app wrote, for assertions about what is (not) logged.
  logs: string[];
  close(): Promise<void>;
}

// The whole product as `npm start` runs it: a fresh migrated database, the local Microsoft emulator on https
// (trusted through NODE_EXTRA_CA_CERTS, set by `npm test`) and the real app listening on a free port.
export async function startTestApp(options: Omit<AppOptions, 'logDestination'> = {}): Promise<TestApp> {
  const db: TestDatabase = await createTestDatabase();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ca = ensureCertificateAuthority(join(projectRoot, '.data', 'test'));
  const registration = sync365DemoApp(baseUrl);
  const emulator = await startEmulator({ ca, apps: [registration] });
  const settings = parseSettings({ PORT: String(port), APP_BASE_URL: baseUrl, LOG_LEVEL: 'info' });
  const config = completeConfig({
    ...settings,
    databaseUrl: db.url,
    microsoft: { loginBaseUrl: emulator.url, partnerCenterBaseUrl: emulator.url, graphBaseUrl: emulator.url, clientId: registration.clientId, clientSecret: registration.clientSecret },
    tokenEncryptionKey: randomBytes(32),
    sessionSecret: randomBytes(32).toString('base64url'),
  });
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp(config, { ...options, logDestination });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    config,
    baseUrl,
    emulator,
    logs,
    async close() {
      await app.close();
      await emulator.close();
      await db.drop();
    },
  };
}
