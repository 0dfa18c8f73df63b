import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, sync365DemoApp, type CertificateAuthority, type RunningEmulator } from '../../libs/microsoft-emulator/src';
import type { Settings } from './app-config';
import { startOnDemoPort } from './demo-port';

// Demo mode (DESIGN.md §3): secrets generated once and kept under .data/, the local Microsoft emulator started
// and the three Microsoft base URLs and the app registration pointed at it.

export function loadOrCreateDemoSecrets(dataDir: string): { tokenEncryptionKey: Buffer; sessionSecret: string } {
  const file = join(dataDir, 'demo-secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { tokenEncryptionKey: string; sessionSecret: string };
    return { tokenEncryptionKey: Buffer.from(saved.tokenEncryptionKey, 'base64'), sessionSecret: saved.sessionSecret };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { tokenEncryptionKey: randomBytes(32), sessionSecret: randomBytes(48).toString('base64url') };
  writeFileSync(
    file,
    JSON.stringify({ tokenEncryptionKey: secrets.tokenEncryptionKey.toString('base64'), sessionSecret: secrets.sessionSecret }),
    { mode: 0o600 },
  );
  return secrets;
}

export async function startDemoMicrosoft(
  settings: Settings,
  ca: CertificateAuthority,
  dataDir: string,
): Promise<{ settings: Settings; emulator: RunningEmulator }> {
  const app = sync365DemoApp(settings.appBaseUrl);
  const emulator = await startOnDemoPort('the local Microsoft', 'EMULATOR_PORT', settings.emulatorPort, (port) =>
    startEmulator({ ca, port, apps: [app], dataDir: join(dataDir, 'emulator') }),
  );
  const secrets = loadOrCreateDemoSecrets(dataDir);
  return {
    emulator,
    settings: {
      ...settings,
      microsoft: {
        loginBaseUrl: emulator.url,
        partnerCenterBaseUrl: emulator.url,
        graphBaseUrl: emulator.url,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
      },
      tokenEncryptionKey: settings.tokenEncryptionKey ?? secrets.tokenEncryptionKey,
      sessionSecret: settings.sessionSecret ?? secrets.sessionSecret,
    },
  };
}

export interface DemoInbox {
  // Where the app sends alert e-mail (SMTP_URL) and where a person reads it (MailDev's web inbox and REST API).
  smtpUrl: string;
  webUrl: string;
  close(): Promise<void>;
}

// Demo mode's local mail catcher: MailDev (SMTP + a web inbox) in this process, so the alert e-mail a new user gets
// can be read at once. Mails are kept under `mailDirectory` across restarts. MailDev keeps one server per process.
export async function startDemoInbox(options: { smtpPort: number; webPort: number; mailDirectory?: string }): Promise<DemoInbox> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MailDev = require('maildev') as new (config: Record<string, unknown>) => {
    listen(): Promise<void>;
    close(callback: () => void): void;
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  if (options.mailDirectory) mkdirSync(options.mailDirectory, { recursive: true });
  const maildev = new MailDev({
    smtp: options.smtpPort,
    web: options.webPort,
    ip: '127.0.0.1',
    mailDirectory: options.mailDirectory,
    silent: true,
  });
  // MailDev exits the process on SIGINT/SIGTERM; the launcher stops everything in order itself (PostgreSQL last).
  for (const signal of signals)
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
  await maildev.listen();
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    webUrl: `http://127.0.0.1:${options.webPort}`,
    close: () => new Promise<void>((resolve) => maildev.close(() => resolve())),
  };
}
