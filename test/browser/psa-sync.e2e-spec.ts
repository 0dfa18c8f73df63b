import { join } from 'node:path';
import { startConnectWiseEmulator, type RunningConnectWiseEmulator } from '../../libs/connectwise-psa-emulator/src';
import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { SCREENSHOTS as screenshots, signInAndConnect, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

// Settings → Billing → PSA in a real browser: connect the local ConnectWise, confirm a customer and a product, and
// read the dry run; every PSA page passes axe.
describe('a partner admin connects ConnectWise and runs a dry run in a real browser', () => {
  const env = useBrowserTestApp();
  let cw: RunningConnectWiseEmulator;
  const adatum = DEMO_CUSTOMERS.adatum.id;

  beforeAll(async () => {
    cw = await startConnectWiseEmulator({ port: 0 });
  });
  afterAll(async () => {
    await cw?.close();
  });

  it('connects, maps Adatum and Microsoft 365 E3, and sees what the next sync would write', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const base = env.app.baseUrl;
    await signInAndConnect(page, base, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    await eventually(
      async () =>
        expect((await env.app.query<{ n: number }>('select count(*)::int as n from billing_tenant_totals'))[0].n).toBeGreaterThan(20),
      120_000,
    );

    // A billing profile for E3, named and coded like the ConnectWise catalog product.
    await page.goto(`${base}/settings/billing`);
    await page.getByLabel('Microsoft product').selectOption({ label: 'Microsoft 365 E3 — not mapped' });
    await page.getByLabel('Your product name').fill('Microsoft 365 E3');
    await page.getByLabel('Product code').fill('M365-E3');
    await page.getByLabel('Unit price').fill('43.20');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByText('Profile Microsoft 365 E3 added').waitFor();

    await page.getByRole('link', { name: 'PSA', exact: true }).click();
    const credentials = cw.credentials!;
    await page.getByLabel('Site', { exact: true }).fill(cw.url);
    await page.getByLabel('Company ID', { exact: true }).fill(credentials.companyId);
    await page.getByLabel('Public key', { exact: true }).fill(credentials.publicKey);
    await page.getByLabel('Private key', { exact: true }).fill('not-the-key');
    await page.getByLabel('Client ID', { exact: true }).fill(credentials.clientId);
    await page.getByRole('button', { name: 'Test and connect ConnectWise' }).click();
    await page.getByText('ConnectWise did not accept the company ID, keys or client ID').first().waitFor();
    // What was typed stays, except the private key.
    expect(await page.getByLabel('Company ID', { exact: true }).inputValue()).toBe(credentials.companyId);
    await page.locator('input[name="privateKey"]').fill(credentials.privateKey);
    await page.getByRole('button', { name: 'Test and connect ConnectWise' }).click();
    await page.getByRole('status').filter({ hasText: 'ConnectWise PSA connected' }).waitFor();

    const row = page.locator(`tr[data-tenant="${adatum}"]`);
    expect(await row.locator('select option:checked').innerText()).toBe('Adatum Corporation — Microsoft 365');
    await row.getByRole('button', { name: 'Confirm Adatum Corporation' }).click();
    await page.getByRole('status').filter({ hasText: 'Mapped to Adatum Corporation — Microsoft 365' }).waitFor();
    const product = page.locator('#psa-product-mappings tbody tr', { hasText: 'Microsoft 365 E3' });
    await product.getByRole('button', { name: 'Confirm Microsoft 365 E3' }).click();
    await page.getByRole('status').filter({ hasText: 'Mapped to M365-E3 — Microsoft 365 E3' }).waitFor();
    await page.screenshot({ path: join(screenshots, '70-psa-settings.png'), fullPage: true });

    const before = cw.journal().length;
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText('Nothing was sent: this is what the next sync would write').waitFor();
    const adatumSection = page.locator(`section[data-tenant="${adatum}"]`);
    expect(await adatumSection.innerText()).toContain('M365-E3 — Microsoft 365 E3');
    expect(cw.journal().length).toBe(before);
    await page.screenshot({ path: join(screenshots, '71-psa-dry-run.png'), fullPage: true });
    const runPath = new URL(page.url()).pathname;

    const found: Record<string, string[]> = {};
    for (const path of ['/settings/billing/psa', runPath, '/billing/psa-syncs']) {
      await page.goto(`${base}${path}`);
      const violations = await seriousAccessibilityViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  }, 300_000);
});
