import { join } from 'node:path';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { SCREENSHOTS as screenshots, signInAndConnect, signInAtMicrosoft, useBrowserTestApp } from '../support/browser';

const OWNER = 'admin@contoso-partners.example';
const VIEWER = 'sales@contoso-partners.example';

describe('people and roles, in a real browser', () => {
  const env = useBrowserTestApp();

  it('an Owner invites a Viewer, who signs in with the link and sees everything but can change nothing', async () => {
    const base = env.app.baseUrl;
    const ownerContext = await env.browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const owner = await ownerContext.newPage();
    await signInAndConnect(owner, base, OWNER, 's365@contoso-partners.example');

    // Settings → People: the Owner invites a colleague of the same directory as Viewer.
    await owner.goto(`${base}/settings/people`);
    expect(await owner.getByRole('cell', { name: /Contoso Admin/ }).isVisible()).toBe(true);
    await owner.getByRole('textbox', { name: 'E-mail address' }).fill(VIEWER);
    await owner.getByRole('combobox', { name: 'Role', exact: true }).selectOption('viewer');
    await owner.getByRole('button', { name: 'Invite' }).click();
    await owner.waitForURL(`${base}/settings/people`);
    expect(await owner.locator('.flash').filter({ hasText: 'is invited as Viewer' }).innerText()).toContain(
      `${VIEWER} is invited as Viewer`,
    );
    const link = await owner.getByRole('textbox', { name: `Sign-in link for ${VIEWER}` }).inputValue();
    expect(link).toMatch(/\/auth\/invitations\/[0-9a-f-]{36}$/);
    expect(await seriousAccessibilityViolations(owner)).toEqual([]);
    await owner.screenshot({ path: join(screenshots, '70-people-invited.png'), fullPage: true });

    // The colleague opens the link in their own browser and signs in with their Contoso account.
    const viewerContext = await env.browser.newContext({
      ignoreHTTPSErrors: true,
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    const viewer = await viewerContext.newPage();
    await viewer.goto(link);
    expect(await viewer.getByRole('status').filter({ hasText: 'You are invited' }).innerText()).toContain(
      'You are invited to use Sync 365 for Contoso Partners as Viewer',
    );
    expect(await seriousAccessibilityViolations(viewer)).toEqual([]);
    await viewer.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await signInAtMicrosoft(viewer, VIEWER);
    await viewer.waitForURL(`${base}/`);

    // They see what the partner sees…
    await viewer.goto(`${base}/customers/delegated-admins`);
    expect(await viewer.getByRole('row', { name: /s365@contoso-partners\.example/ }).isVisible()).toBe(true);
    // …without a button to change it.
    expect(await viewer.getByRole('button', { name: /Grant Partner Center Consent/ }).count()).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Remove' }).count()).toBe(0);
    await viewer.goto(`${base}/customers`);
    expect(await viewer.getByRole('link', { name: 'Export customers (CSV)' }).isVisible()).toBe(true);
    expect(await viewer.getByRole('button', { name: 'Re-read all customers from Microsoft' }).count()).toBe(0);
    await viewer.goto(`${base}/licensing`);
    expect(await viewer.getByRole('button', { name: 'Run the reconciliation now' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await viewer.goto(`${base}/settings/api-keys`);
    expect(await viewer.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
    await viewer.goto(`${base}/settings/webhooks`);
    expect(await viewer.getByRole('button', { name: 'Add webhook' }).count()).toBe(0);
    await viewer.goto(`${base}/settings/people`);
    expect(await viewer.getByText('You are Viewer.').isVisible()).toBe(true);
    expect(await viewer.getByRole('row', { name: /Contoso Sales/ }).innerText()).toContain('Viewer');
    expect(await viewer.getByRole('button', { name: 'Invite' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Change role' }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(viewer)).toEqual([]);
    await viewer.screenshot({ path: join(screenshots, '71-people-as-viewer.png'), fullPage: true });

    // A change sent anyway (a form kept from before, a crafted post) is refused with a page that says why.
    await viewer.goto(`${base}/customers`);
    await viewer.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/customers/refresh';
      const token = document.querySelector('input[name="_csrf"]').cloneNode();
      form.appendChild(token);
      document.body.appendChild(form);
      form.submit();
    })()`);
    await viewer.waitForURL(`${base}/customers/refresh`);
    expect(await viewer.getByRole('heading', { name: 'Not allowed' }).isVisible()).toBe(true);
    expect(await viewer.locator('.problem').innerText()).toContain(
      'Your role in Sync 365 is Viewer, and this needs Admin or higher, so nothing was changed.',
    );
    expect(await seriousAccessibilityViolations(viewer)).toEqual([]);
    await viewer.screenshot({ path: join(screenshots, '72-viewer-refused.png'), fullPage: true });
    expect(await env.app.query(`select 1 from audit_entries where action = 'tenants.refresh-requested'`)).toEqual([]);

    // The Owner sees the colleague in the list now, and the invitation used up.
    await owner.goto(`${base}/settings/people`);
    expect(await owner.getByRole('row', { name: /Contoso Sales/ }).isVisible()).toBe(true);
    expect(await owner.getByRole('textbox', { name: `Sign-in link for ${VIEWER}` }).count()).toBe(0);
    await viewerContext.close();
    await ownerContext.close();
  });
});
