import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CUSTOMERS, DEMO_QUIRKS } from '../../libs/microsoft-emulator/src';
import { SCREENSHOTS as screenshots, signInAndConnect, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

// The landing page and the over-assigned flag as a partner admin sees them, on a desktop and on a phone.
describe('the overview and the over-assigned customer in a real browser', () => {
  const env = useBrowserTestApp();
  const coho = DEMO_CUSTOMERS.coho.id;
  const { overAssigned } = DEMO_QUIRKS.contoso;
  const by = overAssigned.consumed - overAssigned.prepaidEnabled;

  it('lands on the overview after sign-in, and its over-assigned alert opens the list with the red flag', async () => {
    mkdirSync(screenshots, { recursive: true });
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInAndConnect(page, env.app.baseUrl, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    await eventually(
      async () => expect((await env.app.query<{ n: number }>('select count(*)::int as n from reconciliation_runs'))[0].n).toBe(1),
      90_000,
    );

    // Overview is the first tab and the landing page.
    await page.goto(`${env.app.baseUrl}/`);
    const tabs = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    expect(await tabs.first().innerText()).toBe('Overview');
    expect(await tabs.first().getAttribute('aria-current')).toBe('page');
    for (const heading of [
      'Partner Center connection',
      'Last import',
      'Seats unused this month',
      'Needs attention',
      'Open discrepancies',
    ]) {
      expect(await page.getByRole('heading', { name: heading }).isVisible()).toBe(true);
    }
    expect(await page.locator('[data-connection="s365@contoso-partners.example"]').innerText()).toContain('Active');
    await page.screenshot({ path: join(screenshots, '20-overview.png'), fullPage: true });

    // The over-assigned alert: one customer, which its link lists with the red badge.
    const alert = page.locator('[data-alert="over-assigned"] a');
    // What a screen reader reads as the link's name (the number sits in a column of its own).
    expect((await alert.textContent())?.replace(/\s+/g, ' ').trim()).toBe('1 customer is over-assigned');
    await Promise.all([page.waitForURL(/[?&]overAssigned=1/), alert.click()]);
    await page.waitForLoadState();
    expect(await page.locator('#customers tbody tr').count()).toBe(1);
    const badge = page.locator(`tr[data-tenant="${coho}"] [data-over-assigned]`);
    expect(await badge.innerText()).toBe(`over-assigned by ${by}`);
    // Red: the "bad" tone, not the amber of a warning.
    expect(
      await page.evaluate<string>(`getComputedStyle(document.querySelector('tr[data-tenant="${coho}"] [data-over-assigned]')).color`),
    ).toBe('rgb(180, 35, 24)');
    expect(await page.getByRole('checkbox', { name: 'Over-assigned' }).isChecked()).toBe(true);
    await page.screenshot({ path: join(screenshots, '21-customers-over-assigned.png'), fullPage: true });

    // The whole list: seats read "N assigned · M unused", right-aligned.
    await page.goto(`${env.app.baseUrl}/customers`);
    const graphic = page.locator(`tr[data-tenant="${DEMO_CUSTOMERS.graphicdesign.id}"] [data-seats]`);
    const [seats] = await env.app.query<{ purchased: number; assigned: number }>(
      'select purchased, assigned from customer_tenants where tenant_id = $1',
      [DEMO_CUSTOMERS.graphicdesign.id],
    );
    expect(await graphic.innerText()).toBe(`${seats.assigned} assigned · ${seats.purchased - seats.assigned} unused`);
    expect(
      await page.evaluate<string>(
        `getComputedStyle(document.querySelector('tr[data-tenant="${DEMO_CUSTOMERS.graphicdesign.id}"] [data-seats]').parentElement).textAlign`,
      ),
    ).toBe('right');
    await page.screenshot({ path: join(screenshots, '22-customers.png') });

    // On a phone: the overview fits the width (no sideways scrolling) and its numbers are still links.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.app.baseUrl}/`);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(
      0,
    );
    expect(await page.locator('[data-alert="over-assigned"] a').isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '23-overview-phone.png'), fullPage: true });
    await context.close();
  }, 180_000);
});
