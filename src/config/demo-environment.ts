import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, sync365DemoApp, type CertificateAuthority, type RunningEmulator } from '../../libs/microsoft-emulator/src';
import type { Settings } from './app-config';

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
  writeFileSync(file, JSON.stringify({ tokenEncryptionKey: secrets.tokenEncryptionKey.toString('base64'), sessionSecret: secrets.sessionSecret }), { mode: 0o600 });
  return secrets;
}

export async function startDemoMicrosoft(settings: Settings, ca: CertificateAuthority, dataDir: string): Promise<{ settings: Settings; emulator: RunningEmulator }> {
  const app = sync365DemoApp(settings.appBaseUrl);
  const emulator = await startEmulator({ ca, port: settings.emulatorPort, apps: [app], dataDir: join(dataDir, 'emulator') });
  const secrets = loadOrCreateDemoSecrets(dataDir);
  return {
    emulator,
    settings: {
      ...settings,
      microsoft: { loginBaseUrl: emulator.url, partnerCenterBaseUrl: emulator.url, graphBaseUrl: emulator.url, clientId: app.clientId, clientSecret: app.clientSecret },
      tokenEncryptionKey: settings.tokenEncryptionKey ?? secrets.tokenEncryptionKey,
      sessionSecret: settings.sessionSecret ?? secrets.sessionSecret,
    },
  };
}
