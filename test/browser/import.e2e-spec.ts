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
    // The page consent returns to, as the server sent it: the banner is already there, before any script ran
    // (the import's run may only exist a moment after this redirect).
    const returned = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/customers/delegated-admins' && r.request().method() === 'GET',
    );
    await signInAtMicrosoft(page, 's365@contoso-partners.example');
    const served = await (await returned).text();
    expect(/<div id="import-banner"[^>]*>/.exec(served)?.[0]).not.toContain('hidden');
    expect(served).toContain('Updating tenants… starting the import');
    await page.waitForURL(`${env.app.baseUrl}/customers/delegated-admins`);
    expect(await page.getByText('s365@contoso-partners.example is connected').isVisible()).toBe(true);

    // It follows the import live on that page, without a reload.
    const banner = page.locator('#import-banner');
    await banner.filter({ hasText: /Updating tenants… \d+ of 25/ }).waitFor();
    await page.screenshot({ path: join(screenshots, '08-import-banner.png') });
    await emulatorControl(env.app, 'faults', undefined, 'DELETE');

    // When the import ends the banner goes, and the page offers the customers it read.
    await banner.waitFor({ state: 'hidden', timeout: 60_000 });
    const done = page.locator('#import-finished');
    await done.waitFor();
    expect(await done.innerText()).toContain('The import has finished');
    await done.getByRole('link', { name: 'Show the imported customers' }).click();
    await page.waitForURL(`${env.app.baseUrl}/customers`);
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
