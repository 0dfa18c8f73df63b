import { join } from 'node:path';
import { SCREENSHOTS as screenshots, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';

describe('a partner admin grants Partner Center consent in a real browser', () => {
  const env = useBrowserTestApp();

  it('connects the service account, and explains why an account without MFA is refused', async () => {
    const context = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.app.baseUrl}/auth/login`);
    await signInAtMicrosoft(page, 'admin@contoso-partners.example');
    await page.waitForURL(`${env.app.baseUrl}/`);

    await page.getByRole('link', { name: 'Connect Partner Center' }).click();
    await page.getByRole('button', { name: 'Grant Partner Center Consent' }).click();
    await signInAtMicrosoft(page, 'nomfa@contoso-partners.example');
    await page.getByRole('heading', { name: 'Partner Center consent was not saved' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('without multi-factor authentication');
    await page.screenshot({ path: join(screenshots, '06-consent-mfa-refused.png'), fullPage: true });

    await page.getByRole('link', { name: 'Back to Delegated Admin' }).click();
    await page.getByRole('button', { name: 'Grant Partner Center Consent' }).click();
    await signInAtMicrosoft(page, 's365@contoso-partners.example');
    await page.waitForURL(`${env.app.baseUrl}/customers/delegated-admins`);
    const row = page.locator('tr', { hasText: 's365@contoso-partners.example' });
    expect(await row.innerText()).toContain('Active');
    expect(await page.getByText('s365@contoso-partners.example is connected').isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, '07-delegated-admins.png'), fullPage: true });
    await context.close();
  });
});
