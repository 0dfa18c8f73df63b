import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { SCREENSHOTS as screenshots, signInAndConnect, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

// The billing journey in a real browser: map a product, see a customer's lines with amounts, approve a decrease,
// freeze the month and download its CSV; every billing page passes axe.
describe('a partner admin sets up billing in a real browser', () => {
  const env = useBrowserTestApp();
  const adatum = DEMO_CUSTOMERS.adatum.id;

  it('maps Microsoft 365 E3, sees Adatum’s invoice lines, approves a decrease and exports the month-end snapshot', async () => {
    const context = await env.browser.newContext({
      ignoreHTTPSErrors: true,
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const base = env.app.baseUrl;
    await signInAndConnect(page, base, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    // The first reconciliation and billing's first look at it.
    await eventually(
      async () =>
        expect((await env.app.query<{ n: number }>('select count(*)::int as n from billing_tenant_totals'))[0].n).toBeGreaterThan(20),
      120_000,
    );

    await page.goto(`${base}/billing`);
    await page.getByRole('heading', { name: 'Products not mapped' }).waitFor();
    await page.locator('[data-not-mapped]', { hasText: 'Microsoft 365 E3' }).getByRole('link', { name: 'Map it' }).click();

    // Settings → Billing, with the product already chosen.
    await page.getByRole('heading', { name: 'Add a profile' }).waitFor();
    expect(await page.getByLabel('Microsoft product').inputValue()).not.toBe('');
    await page.getByLabel('Your product name').fill('Managed Microsoft 365 E3');
    await page.getByLabel('Product code').fill('MSP-E3');
    await page.getByLabel('Unit price').fill('36.00');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByText('Profile Managed Microsoft 365 E3 added').waitFor();

    // A lower price for Adatum: its E3 line's amount goes down, which waits for approval.
    await page.getByLabel('Microsoft product').selectOption({ label: 'Microsoft 365 E3' });
    await page.getByRole('combobox', { name: /^Customer/ }).selectOption({ label: 'Adatum Corporation (override)' });
    await page.getByLabel('Your product name').fill('Managed Microsoft 365 E3 (Adatum)');
    await page.getByLabel('Unit price').fill('30.00');
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByText('Profile Managed Microsoft 365 E3 (Adatum) added').waitFor();
    expect(await page.locator('[data-profiles="overrides"]').innerText()).toContain('Adatum Corporation');

    await page.goto(`${base}/billing/tenants/${adatum}`);
    const line = page.locator('#billing-lines tbody tr', { hasText: 'Managed Microsoft 365 E3 (Adatum)' });
    expect(await line.innerText()).toMatch(/Billable[\s\S]*30\.00[\s\S]*USD [\d,]+\.\d{2}/);
    expect(await line.innerText()).toContain('Waiting for approval');
    await page.screenshot({ path: join(screenshots, '60-billing-tenant.png'), fullPage: true });

    await page.getByRole('link', { name: 'Approvals' }).click();
    const approval = page.locator('#billing-approvals tbody tr', { hasText: 'Adatum Corporation' });
    expect(await approval.innerText()).toContain('Decrease');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved: Adatum Corporation').waitFor();
    await page.locator('[data-no-approvals]').waitFor();

    await page.getByRole('link', { name: 'Snapshots' }).click();
    await page.getByRole('button', { name: 'Freeze snapshot' }).click();
    await page.getByText('is frozen:').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#billing-snapshots').getByRole('link', { name: /^CSV/ }).first().click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/Adatum Corporation.*Managed Microsoft 365 E3 \(Adatum\).*Billable/);
    await page.screenshot({ path: join(screenshots, '61-billing-snapshots.png'), fullPage: true });

    const found: Record<string, string[]> = {};
    for (const path of [
      '/billing',
      `/billing/tenants/${adatum}`,
      '/billing/approvals',
      '/billing/mappings',
      '/billing/snapshots',
      '/settings/billing',
    ]) {
      await page.goto(`${base}${path}`);
      const violations = await seriousAccessibilityViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
    await context.close();
  }, 240_000);
});
