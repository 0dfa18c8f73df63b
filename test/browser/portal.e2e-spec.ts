import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_CUSTOMER_USERS, DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import { eventually } from '../support/eventually';
import { SCREENSHOTS as screenshots, signInAndConnect, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';

const ADATUM = DEMO_CUSTOMERS.adatum.id;

describe('the licence portal in a real browser: a customer asks for seats, the partner approves', () => {
  const env = useBrowserTestApp();

  it('Amelia requests two more Power BI Pro seats in her portal; Contoso approves; both see it applied', async () => {
    const base = env.app.baseUrl;
    // Two people, two browsers: the partner's admin and the customer's employee.
    const partnerContext = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const customerContext = await env.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 900 } });
    const partner = await partnerContext.newPage();
    const customer = await customerContext.newPage();

    // The partner connects Partner Center, confirms Direct CSP, switches Adatum's portal on and adds Amelia.
    await signInAndConnect(partner, base, 'admin@contoso-partners.example', 's365@contoso-partners.example');
    const row = partner.locator('tr', { hasText: 's365@contoso-partners.example' });
    await eventually(async () => {
      await partner.reload();
      expect(await row.innerText()).toContain('Direct bill');
      expect(await partner.locator('#import-banner').isVisible()).toBe(false);
    }, 90_000);
    await row.getByRole('link', { name: 'Settings' }).click();
    await partner.getByLabel('Customer tenant').selectOption({ label: 'Adatum Corporation (adatum.example)' });
    await partner.getByRole('button', { name: 'Test Direct CSP permissions' }).click();
    await partner.getByRole('button', { name: 'Yes' }).click();
    await partner.locator('[data-test-outcome="confirmed"]').first().waitFor();

    await partner.goto(`${base}/tenants/${ADATUM}/direct-csp`);
    await partner.getByRole('button', { name: 'Switch the portal on (additional charges apply)' }).click();
    await partner.locator('[data-portal-state]', { hasText: 'on' }).waitFor();
    await partner.getByRole('link', { name: 'Licence portal users and requests of Adatum Corporation' }).click();
    await partner.getByRole('heading', { name: 'Licence portal', level: 2 }).waitFor();
    await partner.getByLabel('Microsoft sign-in name').fill(DEMO_CUSTOMER_USERS.amelia);
    await partner.locator('#add-portal-user').getByLabel('Role').selectOption('modify');
    await partner.getByRole('button', { name: 'Add portal user' }).click();
    await shows(partner, `${DEMO_CUSTOMER_USERS.amelia} can now sign in to the licence portal as Modify.`);

    // Amelia signs in with Microsoft and asks for 12 seats of Power BI Pro instead of 10.
    await customer.goto(`${base}/portal`);
    await customer.waitForURL(`${base}/portal/sign-in`);
    await customer.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await signInAtMicrosoft(customer, DEMO_CUSTOMER_USERS.amelia);
    await customer.waitForURL(`${base}/portal`);
    expect(await customer.locator('[data-portal-brand]').innerText()).toBe('Contoso Partners — licence portal');
    await customer.getByRole('heading', { name: 'Your licences' }).waitFor();
    await customer.screenshot({ path: join(screenshots, '30-portal-licences.png'), fullPage: true });

    await customer.locator('tr', { hasText: 'Power BI Pro' }).getByRole('link', { name: 'Request a change' }).click();
    await customer.getByRole('heading', { name: 'The rules for this subscription' }).waitFor();
    // New commerce: its month started 12 days ago, so seats can go only at renewal (FACTS §7a.4).
    const rules = await customer.locator('#portal-rules').innerText();
    expect(rules).toMatch(
      /Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on \d{1,2} \w{3} \d{4} UTC, so seats can now be removed only at renewal on \d{1,2} \w{3} \d{4} UTC\./,
    );
    expect(rules).toContain('Seats can be removed at renewal, down to 7');
    await customer.getByRole('radio', { name: /Add seats/ }).check();
    await customer.getByLabel('New total number of seats').fill('12');
    await customer.screenshot({ path: join(screenshots, '31-portal-request-form.png'), fullPage: true });
    await customer.getByRole('button', { name: 'Send the request to Contoso Partners' }).click();
    await customer.waitForURL(`${base}/portal/requests`);
    await shows(customer, 'Your request was sent to Contoso Partners');
    expect(await customer.locator('#portal-open-requests').innerText()).toContain('Waiting for approval');

    // The partner sees it on the tenant's portal page and approves it with a comment.
    await partner.reload();
    const request = partner.locator('#partner-open-requests tr', { hasText: 'Power BI Pro' });
    expect(await request.innerText()).toContain('Amelia Ortiz');
    await request.getByRole('textbox').fill('For the new analysts');
    await partner.screenshot({ path: join(screenshots, '32-portal-partner-approval.png'), fullPage: true });
    await request.getByRole('button', { name: 'Approve' }).click();
    // Nothing is bought yet: the partner sees what would be, with the comment carried over, and confirms.
    const approval = partner.locator('#approval');
    await approval.waitFor();
    expect(await approval.locator('[data-change]').innerText()).toContain('10 → 12 seats (+2)');
    expect(await approval.locator('[data-consequence]').innerText()).toContain('Approving buys 2 seats more at once');
    expect(await approval.getByRole('textbox', { name: /Comment/ }).inputValue()).toBe('For the new analysts');
    await partner.screenshot({ path: join(screenshots, '32b-portal-partner-confirm-approval.png'), fullPage: true });
    await approval.getByRole('button', { name: 'Approve and buy 2 seats' }).click();
    await shows(partner, 'Approved and applied: Adatum Corporation — Power BI Pro (10 → 12 seats)');
    expect(await partner.locator('#partner-past-requests').innerText()).toContain('Applied');

    // Amelia sees the result and the new quantity.
    await customer.reload();
    const past = customer.locator('#portal-past-requests');
    expect(await past.innerText()).toContain('Applied');
    expect(await past.innerText()).toContain('“For the new analysts”');
    expect(await past.innerText()).toContain('Partner Center changed the subscription from 10 to 12 seats.');
    await customer.screenshot({ path: join(screenshots, '33-portal-request-applied.png'), fullPage: true });
    await customer.getByRole('link', { name: 'Licences', exact: true }).click();
    expect(await customer.locator('tr', { hasText: 'Power BI Pro' }).locator('[data-quantity]').innerText()).toBe('12');

    await partnerContext.close();
    await customerContext.close();
  });
});

// A flash message of the portal's own pages (they redirect only once the message is stored).
async function shows(page: Page, text: string): Promise<void> {
  await page.locator('.flash', { hasText: text }).waitFor();
}
