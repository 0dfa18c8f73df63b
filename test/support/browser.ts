import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';
import { DEMO_MFA_CODE, DEMO_PASSWORD } from '../../libs/microsoft-emulator/src';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { startTestApp, type TestApp } from './test-app';

// A real headless Chromium: CHROME_PATH, else Debian's /usr/bin/chromium, else the Chromium shipped inside the
// @sparticuz/chromium npm package (so `npm install && npm test` needs nothing else on a fresh machine).
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    // This machine has no internet: without these flags Chromium keeps trying to reach Google's services.
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-gpu',
      '--no-sandbox',
    ],
  });
}

async function chromiumPath(): Promise<string> {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- its CommonJS build loads under jest
  const packaged = require('@sparticuz/chromium') as {
    default?: { executablePath(): Promise<string> };
    executablePath?: () => Promise<string>;
  };
  const executablePath = packaged.default?.executablePath ?? packaged.executablePath;
  if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH, install Debian chromium, or npm install @sparticuz/chromium.');
  return executablePath();
}

// Microsoft's pages in the browser: "another account" when offered, then password, MFA code and consent when asked.
export async function signInAtMicrosoft(page: Page, username: string): Promise<void> {
  const other = page.getByRole('button', { name: /another account/i });
  if (await other.isVisible().catch(() => false)) await other.click();
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const otp = page.locator('input[name="otp"]');
  const accept = page.getByRole('button', { name: 'Accept' });
  await otp
    .or(accept)
    .or(page.locator('main, body').filter({ hasText: 'Sync 365' }))
    .first()
    .waitFor();
  if (await otp.isVisible()) {
    await otp.fill(DEMO_MFA_CODE);
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.waitForLoadState();
  if (await accept.isVisible().catch(() => false)) await accept.click();
}

// The partner's admin signs in to the dashboard, and grants Partner Center consent as the service account.
export async function signInAndConnect(page: Page, baseUrl: string, admin: string, serviceAccount: string): Promise<void> {
  await page.goto(`${baseUrl}/auth/login`);
  await signInAtMicrosoft(page, admin);
  // Signed-in users land on the overview, which offers to connect Partner Center while nothing is connected.
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Connect Partner Center' }).click();
  await page.getByRole('button', { name: 'Grant Partner Center Consent' }).click();
  await signInAtMicrosoft(page, serviceAccount);
  await page.waitForURL(`${baseUrl}/customers/delegated-admins`);
}

export const SCREENSHOTS = join(projectRoot, '.data', 'test', 'screenshots');

// The app (as in test-app.ts) and a real Chromium for one test file, started before and closed after its tests.
export function useBrowserTestApp(): { app: TestApp; browser: Browser } {
  const holder = {} as { app: TestApp; browser: Browser };
  beforeAll(async () => {
    [holder.app, holder.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await holder.browser?.close();
    await holder.app?.close();
  });
  return holder;
}
