import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_MFA_CODE, DEMO_PASSWORD } from '../../libs/microsoft-emulator/src';
import { projectRoot } from '../../src/shared/infrastructure/project-root';
import { launchBrowser } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

const screenshots = join(projectRoot, '.data', 'test', 'screenshots');

describe('a partner admin signs in with Microsoft in a real browser', () => {
  let testApp: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    [testApp, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('walks sign-in, MFA and consent on the Microsoft pages and lands on the dashboard of the organization', async () => {
    // The emulator's certificate comes from the test CA, which this browser profile does not know.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    await page.goto(`${testApp.baseUrl}/customers`);
    await page.getByRole('heading', { name: 'Sign in to Sync 365' }).waitFor();
    await page.screenshot({ path: join(screenshots, '01-sign-in.png') });

    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.locator('input[name="username"]').fill('admin@contoso-partners.example');
    await page.locator('input[name="password"]').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Your account or password is incorrect.').waitFor();

    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="otp"]').fill(DEMO_MFA_CODE);
    await page.screenshot({ path: join(screenshots, '02-mfa.png') });
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByText('Sign in and read user profile').waitFor();
    await page.screenshot({ path: join(screenshots, '03-consent.png') });
    await page.getByRole('button', { name: 'Accept' }).click();

    // Back to the page asked for (/customers); the overview is where a plain sign-in lands.
    await page.waitForURL(`${testApp.baseUrl}/customers`);
    const header = page.locator('header');
    expect(await header.innerText()).toContain('Contoso Partners');
    expect(await header.innerText()).toContain('Contoso Admin');
    expect(await page.getByRole('heading', { name: 'No customer tenants yet' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '04-customers.png'), fullPage: true });

    await page.getByRole('link', { name: 'Overview' }).click();
    expect(await page.getByRole('heading', { name: 'Connect Partner Center' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '04-overview-empty.png'), fullPage: true });

    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: 'Delegated Admin' }).click();
    await page.getByText('Global Reader').waitFor();
    expect(page.url()).toBe(`${testApp.baseUrl}/customers/delegated-admins`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out of Sync 365.').waitFor();
    await page.goto(`${testApp.baseUrl}/customers`);
    expect(new URL(page.url()).pathname).toBe('/auth/sign-in');
    await context.close();
  });

  it('is usable on a phone-sized screen', async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${testApp.baseUrl}/auth/login`);
    // The emulator remembers nothing between contexts, so the full sign-in runs again (consent was given once).
    await page.locator('input[name="username"]').fill('admin@contoso-partners.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="otp"]').fill(DEMO_MFA_CODE);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${testApp.baseUrl}/`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '05-phone.png'), fullPage: true });
    await context.close();
  });
});
