import type { Page } from 'playwright-core';
import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { signInAndConnect, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

// Where an element is on the screen, and the viewport and the page's width (a page wider than the viewport
// scrolls sideways: what is off to the right is not seen).
async function boxOf(page: Page, selector: string): Promise<{ box: Box; viewport: { width: number; height: number } }> {
  const element = page.locator(selector).first();
  await element.scrollIntoViewIfNeeded();
  const rect = await element.evaluate((node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
  return { box: rect, viewport: page.viewportSize() ?? { width: 0, height: 0 } };
}

function expectInside({ box, viewport }: { box: Box; viewport: { width: number; height: number } }): void {
  expect(box.right - box.left).toBeGreaterThan(0);
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.top).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(viewport.width);
  expect(box.bottom).toBeLessThanOrEqual(viewport.height);
}

// What the walk-through found at 1440×900 and on a 390×844 phone, checked in a real browser.
describe('page layout at desktop and phone sizes (Chromium)', () => {
  const env = useBrowserTestApp();

  it('shows the Remove button and the settings cog of a delegated admin inside the viewport, with no sideways scrolling on a phone', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInAndConnect(page, env.app.baseUrl, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    // The partner type and the import fill the row in the background: measure the row as it finally is.
    const row = page.locator('tr', { hasText: 's365@contoso-partners.example' });
    await eventually(async () => {
      await page.reload();
      expect(await row.innerText()).toContain('Direct bill');
      expect(await page.locator('#import-banner').isVisible()).toBe(false);
    }, 60_000);

    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(`${env.app.baseUrl}/customers/delegated-admins`);
      expectInside(await boxOf(page, 'tr[data-delegated-admin] a:text-is("Remove")'));
      expectInside(await boxOf(page, 'tr[data-delegated-admin] a[aria-label="Settings"]'));
      if (viewport.width === 390) {
        const widths = await page.evaluate<{ scroll: number; client: number }>(
          '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
        );
        expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      }
    }

    // Numbers line up on the right in the tables.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${env.app.baseUrl}/customers`);
    const alignments = await page.evaluate<string[]>(
      `[...document.querySelectorAll('table td.num, table th.num')].map((cell) => getComputedStyle(cell).textAlign)`,
    );
    expect(alignments.length).toBeGreaterThan(2);
    expect(new Set(alignments)).toEqual(new Set(['right']));

    // The button says what it does, and pressing it is audit logged with who and what came of it.
    await page.getByRole('button', { name: 'Re-read all customers from Microsoft' }).click();
    await page.waitForURL(`${env.app.baseUrl}/customers`);
    await page.goto(`${env.app.baseUrl}/settings/audit-log`);
    const entry = page.locator('tr[data-action="tenants.refresh-requested"]');
    expect(await entry.innerText()).toMatch(/Contoso Admin\s+All customers re-read from Microsoft by hand[\s\S]*All customers\s+Done/);

    // Terms, billing cycles and statuses in words, not Partner Center's codes.
    await page.goto(`${env.app.baseUrl}/tenants/${DEMO_CUSTOMERS.adatum.id}`);
    const subscriptions = await page.locator('#subscriptions').innerText();
    expect(subscriptions).toMatch(/\b1 (month|year)\b/);
    expect(subscriptions).toMatch(/\b(Monthly|Annual)\b/);
    expect(subscriptions).toContain('Active');
    expect(subscriptions).not.toMatch(/\bP\d+[MY]\b|\bactive\b|\bmonthly\b|\bannual\b/);
    await context.close();
  }, 120_000);

  it('copies a new API key and a webhook secret with a Copy button, and says "Copied"', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.app.baseUrl });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/auth/login`);
    await signInAtMicrosoft(page, 'admin@contoso-partners.example');
    // Signed in, a partner admin lands on the overview.
    await page.waitForURL(`${env.app.baseUrl}/`);

    await page.goto(`${env.app.baseUrl}/settings/api-keys`);
    await page.locator('#api-key-name').fill('Copy test');
    await page.locator('input[name="scopes"][value="read:tenants"]').check();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const key = await page.locator('[data-api-key-value]').inputValue();
    expect(key).toMatch(/^s365_/);
    await page.getByRole('button', { name: 'Copy the API key' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);

    await page.goto(`${env.app.baseUrl}/settings/webhooks`);
    // Every event is chosen by default; localhost is an allowed webhook host in the tests.
    await page.getByLabel('URL (https only)').fill('https://localhost:9/sync365');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.locator('[data-secret]').inputValue();
    expect(secret.length).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Copy the signing secret' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
    await context.close();
  }, 60_000);
});
