import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { SCREENSHOTS as screenshots, signInAndConnect, useBrowserTestApp } from '../support/browser';

describe('a partner admin confirms Direct CSP from the settings cog in a real browser', () => {
  const env = useBrowserTestApp();

  it('opens Settings next to the delegated admin, tests with a customer, confirms with Yes, and sees Direct CSP confirmed', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInAndConnect(page, env.app.baseUrl, 'admin@contoso-partners.example', 's365@contoso-partners.example');

    // The partner type is detected in the background right after consent.
    const row = page.locator('tr', { hasText: 's365@contoso-partners.example' });
    await eventually(async () => {
      await page.reload();
      expect(await row.innerText()).toContain('Direct bill');
    }, 30_000);
    await eventually(async () => {
      await page.reload();
      expect(await page.locator('#import-banner').isVisible()).toBe(false);
    }, 60_000);

    await row.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Direct CSP', level: 1 }).waitFor();
    await page.getByLabel('Customer tenant').selectOption({ label: 'Adatum Corporation (adatum.example)' });
    await page.getByRole('button', { name: 'Test Direct CSP permissions' }).click();
    await page.getByRole('heading', { name: 'Test Direct CSP permissions?' }).waitFor();
    await page.screenshot({ path: join(screenshots, '20-direct-csp-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Yes' }).click();

    await page.getByText('Direct CSP confirmed. Partner Center lists your customers').first().waitFor();
    expect(await page.locator('[data-direct-csp]').innerText()).toContain('Confirmed');
    expect(await page.locator('[data-test-outcome="confirmed"]').first().innerText()).toContain('Adatum Corporation');
    await page.screenshot({ path: join(screenshots, '21-direct-csp-confirmed.png'), fullPage: true });

    await page.getByRole('link', { name: 'Back to Delegated Admin' }).click();
    expect(await page.locator('tr', { hasText: 's365@contoso-partners.example' }).innerText()).toContain('Confirmed');
    await context.close();
  });
});
