import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// A real headless Chromium: CHROME_PATH, else Debian's /usr/bin/chromium, else the Chromium shipped inside the
// @sparticuz/chromium npm package (so `npm install && npm test` needs nothing else on a fresh machine).
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    // This machine has no internet: without these flags Chromium keeps trying to reach Google's services.
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu', '--no-sandbox'],
  });
}

async function chromiumPath(): Promise<string> {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- its CommonJS build loads under jest
  const packaged = require('@sparticuz/chromium') as { default?: { executablePath(): Promise<string> }; executablePath?: () => Promise<string> };
  const executablePath = packaged.default?.executablePath ?? packaged.executablePath;
  if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH, install Debian chromium, or npm install @sparticuz/chromium.');
  return executablePath();
}
