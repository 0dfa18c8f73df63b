import { join } from 'node:path';
import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { SCREENSHOTS as screenshots, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';
import { emulatorControl } from '../support/dashboard';

describe('a partner admin watches the import and browses customers in a real browser', () => {
  const env = useBrowserTestApp();

  it('consent → "Updating tenants… N of M" → customers list → tenant detail', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/auth/login`);
    await signInAtMicrosoft(page, 'admin@contoso-partners.example');
    await page.waitForURL(`${env.app.baseUrl}/`);

    // Slow Partner Center down (1.5 s a tenant) so the import can be watched.
    await emulatorControl(env.app, 'faults', { method: 'GET', path: '/v1/customers/*/subscribedskus', kind: 'latency', latencyMs: 1500 });
    await page.getByRole('link', { name: 'Connect Partner Center' }).click();
    await page.getByRole('button', { name: 'Grant Partner Center Consent' }).click();
    await signInAtMicrosoft(page, 's365@contoso-partners.example');
    await page.waitForURL(`${env.app.baseUrl}/customers/delegated-admins`);

    await page.getByRole('link', { name: 'Customers' }).first().click();
    const banner = page.locator('#import-banner');
    await banner.filter({ hasText: /Updating tenants… \d+ of 25/ }).waitFor();
    await page.screenshot({ path: join(screenshots, '08-import-banner.png') });
    await emulatorControl(env.app, 'faults', undefined, 'DELETE');

    // When the import ends the banner goes and the list shows every tenant.
    await banner.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.locator('#customers tbody tr').nth(24).waitFor();
    expect(await page.locator('#customers tbody tr').count()).toBe(25);
    await page.screenshot({ path: join(screenshots, '09-customers.png'), fullPage: true });

    await page.getByRole('searchbox').fill('Coho');
    // The filtered list is a new page: wait for it before counting its rows.
    await Promise.all([page.waitForURL(/[?&]q=Coho/), page.getByRole('button', { name: 'Apply' }).click()]);
    await page.waitForLoadState();
    expect(await page.locator('#customers tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Coho Winery' }).click();
    await page.waitForURL(`${env.app.baseUrl}/tenants/${DEMO_CUSTOMERS.coho.id}`);
    expect(await page.locator('#licences').innerText()).toContain('Microsoft 365 Business Premium');
    expect(await page.locator('#licences').innerText()).toContain('over-assigned');
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#gdap').innerText()).toContain('OK');
    await page.screenshot({ path: join(screenshots, '10-tenant-detail.png'), fullPage: true });
    await context.close();
  });
});
