import { join } from 'node:path';
import { SCREENSHOTS as screenshots, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';

describe('a refused form and a Run now that cannot run, in a real browser', () => {
  const env = useBrowserTestApp();

  it('keeps what was typed and says beside the field what to change; Run now says what is missing and links to the fix', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/auth/login`);
    await signInAtMicrosoft(page, 'admin@contoso-partners.example');
    // Signed in, a partner admin lands on the overview.
    await page.waitForURL(`${env.app.baseUrl}/`);

    // Settings → Webhooks: an address the browser accepts (https) but Sync 365 refuses (a private network's), with
    // one event left out.
    await page.goto(`${env.app.baseUrl}/settings/webhooks`);
    const url = page.getByRole('textbox', { name: /URL/ });
    await url.fill('https://10.0.0.8/sync365');
    const events = page.locator('input[name="events"]');
    await events.nth(1).uncheck();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.waitForLoadState();

    // The same page, not an error page: the URL as typed, the choice as made, the reason tied to the field.
    expect(await page.getByRole('heading', { name: 'Add a webhook' }).isVisible()).toBe(true);
    expect(await url.inputValue()).toBe('https://10.0.0.8/sync365');
    expect(await events.nth(0).isChecked()).toBe(true);
    expect(await events.nth(1).isChecked()).toBe(false);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await url.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).innerText()).toContain('Sync 365 only sends to public internet addresses');
    expect(await page.locator(`#${describedBy}`).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '40-webhook-form-error.png'), fullPage: true });

    // Licensing → Run now with no Partner Center account connected.
    await page.goto(`${env.app.baseUrl}/licensing`);
    await page.getByRole('button', { name: 'Run the reconciliation now' }).first().click();
    await page.waitForURL(`${env.app.baseUrl}/licensing`);
    const alert = page.getByRole('alert').filter({ hasText: 'The reconciliation did not start' });
    expect(await alert.innerText()).toContain('no Partner Center account is connected');
    expect(await page.getByText('The reconciliation has started').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, '41-run-now-no-account.png'), fullPage: true });
    await alert.getByRole('link', { name: 'Go to Customers → Delegated Admin' }).click();
    await page.waitForURL(`${env.app.baseUrl}/customers/delegated-admins`);
    expect(await page.getByRole('button', { name: 'Grant Partner Center Consent' }).isVisible()).toBe(true);
    await context.close();
  });
});
