import { join } from 'node:path';
import { AlertEmailOptions, unsubscribeToken } from '../../src/modules/alerts/application/alert-email-options';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { SCREENSHOTS as screenshots, signInAndConnect, useBrowserTestApp } from '../support/browser';
import { eventually } from '../support/eventually';

describe('the alert centre in a real browser: acknowledge, mute with a reason and an end date, lift the mute (axe-checked)', () => {
  const env = useBrowserTestApp();

  it('lists the demo’s alerts by severity with what to do, acknowledges one and mutes another', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAndConnect(page, env.app.baseUrl, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    await eventually(async () => {
      const rows = await env.app.query<{ n: number }>(
        `select count(*)::int as n from alerts where rule = 'over-assigned' and resolved_at is null`,
      );
      expect(rows[0].n).toBe(1);
    }, 120_000);

    // The navigation entry.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(`${env.app.baseUrl}/alerts`);
    const open = page.locator('#open-alerts');
    const coho = open.locator('tr', { hasText: 'Coho Winery' }).filter({ hasText: 'over-assigned' });
    expect(await coho.locator('.badge').innerText()).toBe('Critical');
    expect(await coho.innerText()).toContain('Buy 3 more seats');
    // Critical first.
    expect(await open.locator('tbody tr').first().getAttribute('data-severity')).toBe('critical');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await coho.getByRole('button', { name: /^Acknowledge/ }).click();
    await page.waitForURL(`${env.app.baseUrl}/alerts`);
    expect(await page.getByRole('status').or(page.locator('.flash')).first().innerText()).toContain('The alert was acknowledged');
    expect(await open.locator('tr', { hasText: 'Coho Winery' }).filter({ hasText: 'over-assigned' }).innerText()).toContain(
      'Acknowledged by',
    );

    const trey = open.locator('tr', { hasText: 'Trey Research' }).filter({ hasText: 'GDAP' });
    await trey.getByRole('link', { name: /^Mute/ }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]+\/mute$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Refused without a reason (the browser's own check is bypassed to reach Sync 365's), then accepted.
    await page.locator('input[name="reason"]').evaluate((input) => input.removeAttribute('required'));
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await page.waitForLoadState();
    const reason = page.getByRole('textbox', { name: /Reason/ });
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await reason.getAttribute('aria-describedby')}`).innerText()).toContain('Say why the alert is muted.');
    await page.getByRole('radio', { name: /Every alert for Trey Research/ }).check();
    await reason.fill('Customer is moving to another partner');
    await page.locator('input[name="until"]').fill('2099-01-31');
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await page.waitForURL(`${env.app.baseUrl}/alerts`);
    expect(await page.locator('#muted').innerText()).toContain('Customer is moving to another partner');
    expect(await open.innerText()).not.toContain('Trey Research');
    expect(await page.locator('#mutes').innerText()).toContain('Every rule · Trey Research');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, '60-alert-centre.png'), fullPage: true });

    await page
      .locator('#mutes')
      .getByRole('button', { name: /^Lift mute/ })
      .click();
    await page.waitForURL(`${env.app.baseUrl}/alerts`);
    expect(await open.innerText()).toContain('Trey Research');
    expect(await page.locator('#mutes').count()).toBe(0);

    for (const path of ['/alerts/rules', '/alerts/preferences']) {
      await page.goto(`${env.app.baseUrl}${path}`);
      expect([path, await seriousAccessibilityViolations(page)]).toEqual([path, []]);
    }
    const audit = await env.app.query<{ action: string }>(
      `select action from audit_entries where action like 'alerts.%' order by occurred_at`,
    );
    expect(audit.map((a) => a.action)).toEqual(['alerts.acknowledged', 'alerts.muted', 'alerts.mute-lifted']);
    await context.close();
  }, 240_000);

  it('offers the unsubscribe page of a mail’s link without signing in, accessibly', async () => {
    const [user] = await env.app.query<{ id: string; organization_id: string }>('select id, organization_id from staff_users limit 1');
    const token = unsubscribeToken(env.app.app.get(AlertEmailOptions), {
      organizationId: user.organization_id,
      staffUserId: user.id,
      rule: 'gdap-expiring',
    });
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/alerts/unsubscribe?token=${token}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Unsubscribed');
    expect(await page.locator('main').innerText()).toContain('GDAP relationship expiring');
    await context.close();
  });
});
