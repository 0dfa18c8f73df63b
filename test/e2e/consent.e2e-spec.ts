import { DEMO_CUSTOMERS, type EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import type { AppConfig } from '../../src/config/app-config';
import { MicrosoftAccessTokens } from '../../src/modules/consent';
import { MicrosoftTokenVault } from '../../src/modules/consent/application/microsoft-token-vault';
import { JobQueue } from '../../src/shared/application/job-queue';
import { FixedClock } from '../../src/shared/testing/fakes';
import { csrfTokenOf, emulatorControl, signInToDashboard } from '../support/dashboard';
import { backgroundWorkSettled, eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';
import { createDecipheriv } from 'node:crypto';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';

const ADMIN = 'admin@contoso-partners.example';
const S365 = 's365@contoso-partners.example';

// Decrypts a stored token the way the app does (AES-256-GCM, row id as AAD), to prove the clear token is nowhere else.
function decrypt(config: AppConfig, ciphertext: string, rowId: string): string {
  const [, iv, tag, body] = ciphertext.split('.');
  const decipher = createDecipheriv('aes-256-gcm', config.tokenEncryptionKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(rowId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

describe('Grant Partner Center Consent (e2e through the local Microsoft)', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    clock.current = new Date();
    await emulatorControl(t, 'reset');
  });

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);

  // Presses Grant (or Re-grant) in the dashboard and walks Microsoft's pages as `account`; returns the callback answer.
  async function grantAs(browser: EmulatorBrowser, account: string, options: { consent?: 'accept' | 'cancel'; regrantOf?: string } = {}) {
    const csrf = await csrfTokenOf(t, browser, '/customers/delegated-admins');
    const path = options.regrantOf ? `/customers/delegated-admins/${options.regrantOf}/regrant` : '/customers/delegated-admins/grant';
    const start = await browser.post(`${t.baseUrl}${path}`, { _csrf: csrf, ...(options.regrantOf ? { loginHint: account } : {}) });
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('prompt')).toBe('select_account');
    // One `.default` (the app registration's static permissions, Partner Center and Graph) with OIDC scopes only:
    // anything beside it is refused by Entra with AADSTS70011 (FACTS.md §7a.1).
    expect(authorize.searchParams.get('scope')?.split(' ').sort()).toEqual([
      'https://api.partnercenter.microsoft.com/.default',
      'offline_access',
      'openid',
      'profile',
    ]);
    const back = await signInThroughForms(browser, start.location!, { username: account, consent: options.consent });
    return browser.get(back.url);
  }

  it('connects s365@ (Admin Agent, MFA) with its refresh token encrypted, and lists it as Active', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    const empty = await browser.get(`${t.baseUrl}/customers/delegated-admins`);
    expect(empty.html).toContain('Grant Partner Center Consent');
    expect(empty.html).toContain('Application Administrator');

    t.logs.length = 0;
    const callback = await grantAs(browser, S365);
    expect(callback.status).toBe(303);
    const list = await browser.get(`${t.baseUrl}/customers/delegated-admins`);
    expect(list.html).toContain(`${S365} is connected`);
    expect(list.html).toContain('Active');
    expect(list.html).toContain('Contoso Admin');

    const [row] = await db<{ id: string; status: string; refresh_token_ciphertext: string }>(
      'select d.id, d.status, t.refresh_token_ciphertext from delegated_admins d join delegated_admin_tokens t on t.delegated_admin_id = d.id where d.account_upn = $1',
      [S365],
    );
    expect(row.status).toBe('active');
    const refreshToken = decrypt(t.config, row.refresh_token_ciphertext, row.id);
    expect(refreshToken.length).toBeGreaterThan(20);
    expect(row.refresh_token_ciphertext).not.toContain(refreshToken);
    // The clear token appears in no log line, page or API response.
    expect(t.logs.join('\n')).not.toContain(refreshToken);
    for (const path of ['/customers/delegated-admins', '/settings/audit-log', '/api/me', '/api/docs-json']) {
      expect((await browser.get(`${t.baseUrl}${path}`)).html).not.toContain(refreshToken);
    }
    const audit = await browser.get(`${t.baseUrl}/settings/audit-log`);
    expect(audit.html).toContain('data-action="consent.granted"');
    expect(audit.html).toContain('Partner Center consent granted');

    // Granting again with the same account updates the same delegated admin.
    await grantAs(browser, S365);
    expect(await db('select id from delegated_admins where account_upn = $1', [S365])).toHaveLength(1);
  });

  it('rejects nomfa@ because its Partner Center token carries no MFA, and stores nothing', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    const callback = await grantAs(browser, 'nomfa@contoso-partners.example');
    expect(callback.status).toBe(403);
    expect(callback.html).toContain('without multi-factor authentication');
    expect(callback.html).toContain('remembered MFA');
    expect(await db('select id from delegated_admins where account_upn = $1', ['nomfa@contoso-partners.example'])).toEqual([]);
  });

  it('rejects sales@ because Partner Center refuses an account without the Admin Agent role', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    const callback = await grantAs(browser, 'sales@contoso-partners.example');
    expect(callback.status).toBe(403);
    expect(callback.html).toContain('Admin Agent');
    expect(await db('select id from delegated_admins where account_upn = $1', ['sales@contoso-partners.example'])).toEqual([]);
  });

  it('explains Cancel and stores nothing', async () => {
    const browser = await signInToDashboard(t, 'admin@fabrikam-reseller.example');
    const callback = await grantAs(browser, 's365@fabrikam-reseller.example', { consent: 'cancel' });
    expect(callback.status).toBe(403);
    expect(callback.html).toContain('Consent was cancelled');
  });

  it('explains that Northwind’s directory needs an administrator’s approval, and connects once a global admin approves', async () => {
    const browser = await signInToDashboard(t, 'admin@northwind-partners.example');
    const refused = await grantAs(browser, 's365@northwind-partners.example');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('only administrators approve new apps');
    const approvalLink = /id="admin-consent-url"[^>]*value="([^"]+)"/
      .exec(refused.html)?.[1]
      ?.replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(approvalLink).toContain(`${t.emulator.url}/organizations/v2.0/adminconsent?client_id=${t.config.microsoft.clientId}`);

    // The global administrator opens the link and approves for the organization.
    const approved = await signInThroughForms(browser, approvalLink!, { username: 'admin@northwind-partners.example' });
    expect(approved.params.admin_consent).toBe('True');
    const back = await browser.get(approved.url);
    expect(back.location).toBe(`${t.baseUrl}/customers/delegated-admins`);
    expect((await browser.get(back.location!)).html).toContain('approved Sync 365');

    expect((await grantAs(browser, 's365@northwind-partners.example')).status).toBe(303);
    expect(await db('select id from delegated_admins where account_upn = $1', ['s365@northwind-partners.example'])).toHaveLength(1);
  });

  it('ignores a forged error answer that does not carry a state this session issued', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    // Only refusals count: the previous test's background work may still write other entries (re-consent needed).
    const refusals = () => db("select id from audit_entries where action = 'consent.grant-refused'");
    const before = await refusals();
    const forged = await browser.get(`${t.baseUrl}/consent/callback?error=access_denied&error_description=AADSTS65004&state=forged`);
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('does not belong to a consent you started here');
    expect(await refusals()).toHaveLength(before.length);
  });

  it('turns an expired and a revoked refresh token into Needs re-consent, and Re-grant repairs it in place', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    await grantAs(browser, S365);
    const [{ id }] = await db<{ id: string }>('select id from delegated_admins where account_upn = $1', [S365]);
    const organizationId = (await db<{ organization_id: string }>('select organization_id from delegated_admins where id = $1', [id]))[0]
      .organization_id;
    const tokens = t.app.get(MicrosoftAccessTokens, { strict: false });
    // Outside an HTTP request or a job, MikroORM needs a context of its own.
    const orm = t.app.get(MikroORM);
    const vault = {
      forPartnerCenter: (o: string, d: string) => RequestContext.create(orm.em, () => tokens.forPartnerCenter(o, d)),
      forGraph: (o: string, d: string, customer: string) => RequestContext.create(orm.em, () => tokens.forGraph(o, d, customer)),
    };

    // Two concurrent token requests cause one refresh. (The import the grant started, and what follows it, redeem tokens
    // of their own: once that work is over, the cached tokens are forgotten so that both requests find none.)
    await backgroundWorkSettled((sql) => db(sql));
    t.app.get(MicrosoftTokenVault, { strict: false }).forget(id);
    const before = (await emulatorControl(t, 'requests', undefined, 'GET')) as Record<string, number>;
    const [a, b] = await Promise.all([vault.forPartnerCenter(organizationId, id), vault.forPartnerCenter(organizationId, id)]);
    expect(a).toBe(b);
    const after = (await emulatorControl(t, 'requests', undefined, 'GET')) as Record<string, number>;
    const tokenCalls = (counts: Record<string, number>) =>
      Object.entries(counts)
        .filter(([route]) => route.includes('/token'))
        .reduce((n, [, c]) => n + c, 0);
    expect(tokenCalls(after) - tokenCalls(before)).toBe(1);

    // 91 days without use: the consent health job finds the token expired (AADSTS700082).
    await emulatorControl(t, 'clock', { advanceSeconds: 91 * 24 * 3600 });
    clock.current = new Date(clock.current.getTime() + 91 * 24 * 3600 * 1000);
    await t.app.get(JobQueue, { strict: false }).enqueue('consent.health-check', {}, { singletonKey: 'e2e-expired' });
    await eventually(async () =>
      expect((await db<{ status: string }>('select status from delegated_admins where id = $1', [id]))[0].status).toBe('needs_reconsent'),
    );
    const [expired] = await db<{ status_reason: string }>('select status_reason from delegated_admins where id = $1', [id]);
    expect(expired.status_reason).toContain('90 days');
    // 91 days on, the dashboard session has ended too (24 hours after sign-in at most): the admin signs in again.
    // (Microsoft's clock back to today first, or its new id_token would not be valid yet for the app. The reset also
    // forgets the refresh token, so background work may reword the reason meanwhile: the page is checked for the
    // status and the way out.)
    await emulatorControl(t, 'reset');
    const later = await signInToDashboard(t, ADMIN);
    expect((await browser.get(`${t.baseUrl}/customers/delegated-admins`)).status).toBe(303);
    const list = await later.get(`${t.baseUrl}/customers/delegated-admins`);
    expect(list.html).toContain('Needs re-consent');
    expect(list.html).toContain('Re-grant');

    // Re-grant repairs the same delegated admin.
    expect((await grantAs(later, S365, { regrantOf: id })).status).toBe(303);
    expect(await db<{ id: string; status: string }>('select id, status from delegated_admins where account_upn = $1', [S365])).toEqual([
      { id, status: 'active' },
    ]);

    // A password reset revokes the refresh token (AADSTS50173); a customer's Graph token (never cached yet) needs it.
    await emulatorControl(t, `users/${S365}/password-reset`);
    await expect(vault.forGraph(organizationId, id, DEMO_CUSTOMERS.coho.id)).rejects.toMatchObject({ code: 'CONSENT.RECONSENT_REQUIRED' });
    const revoked = await db<{ status: string; status_reason: string }>(
      'select status, status_reason from delegated_admins where id = $1',
      [id],
    );
    expect(revoked[0]).toMatchObject({ status: 'needs_reconsent', status_reason: expect.stringContaining('revoked') });
  });

  it('removes a delegated admin after confirmation, deleting its tokens', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    await grantAs(browser, S365);
    const [{ id }] = await db<{ id: string }>('select id from delegated_admins where account_upn = $1', [S365]);
    const confirm = await browser.get(`${t.baseUrl}/customers/delegated-admins/${id}/remove`);
    expect(confirm.html).toContain('delete its stored tokens');
    const removed = await browser.submit(
      confirm.forms.find((f) => f.action.endsWith('/remove'))!,
      {},
      'Remove',
    );
    expect(removed.status).toBe(303);
    expect(await db('select 1 from delegated_admins where id = $1', [id])).toEqual([]);
    expect(await db('select 1 from delegated_admin_tokens where delegated_admin_id = $1', [id])).toEqual([]);
  });

  it('keeps each organization’s delegated admins to itself', async () => {
    const contoso = await signInToDashboard(t, ADMIN);
    await grantAs(contoso, S365);
    const [{ id }] = await db<{ id: string }>('select id from delegated_admins where account_upn = $1', [S365]);
    const fabrikam = await signInToDashboard(t, 'admin@fabrikam-reseller.example');
    expect((await fabrikam.get(`${t.baseUrl}/customers/delegated-admins`)).html).not.toContain(S365);
    expect((await fabrikam.get(`${t.baseUrl}/customers/delegated-admins/${id}/remove`)).status).toBe(404);
  });
});
