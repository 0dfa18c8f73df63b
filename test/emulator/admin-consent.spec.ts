import {
  DEMO_IDS,
  DEMO_MFA_CODE,
  DEMO_PASSWORD,
  EmulatorBrowser,
  signInThroughForms,
  type BrowserResponse,
} from '../../libs/microsoft-emulator/src';
import {
  authorizeUrl,
  CONTOSO,
  NORTHWIND,
  PARTNER_CENTER_DEFAULT_SCOPE,
  PARTNER_CENTER_SCOPE,
  redeemCode,
  signIn,
  useTestEmulator,
  type TestEmulator,
} from './support/emulator-test-kit';

const SCOPE = `openid offline_access ${PARTNER_CENTER_SCOPE}`;

function adminConsentUrl(env: TestEmulator, params: Record<string, string> = {}, tenant = 'organizations'): string {
  const url = new URL(`${env.url}/${tenant}/v2.0/adminconsent`);
  const all = {
    client_id: env.app.clientId,
    redirect_uri: env.redirectUri,
    scope: 'https://graph.microsoft.com/.default',
    state: 'admin-state',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  return url.toString();
}

// Password and MFA pages for `username`, stopping at whatever comes next.
async function passwordAndCode(browser: EmulatorBrowser, start: BrowserResponse, username: string): Promise<BrowserResponse> {
  expect(start.page).toBe('sign-in');
  const afterPassword = await browser.submit(start.forms[0], { username, password: DEMO_PASSWORD }, 'Sign in');
  expect(afterPassword.page).toBe('mfa');
  return browser.submit(afterPassword.forms[0], { otp: DEMO_MFA_CODE }, 'Verify');
}

describe('directories where only an admin may consent (Northwind)', () => {
  const env = useTestEmulator();

  it('shows a user "Need admin approval" (AADSTS90094); going back gives the app access_denied AADSTS90094', async () => {
    const browser = new EmulatorBrowser();

    const page = await passwordAndCode(browser, await browser.get(authorizeUrl(env, { scope: SCOPE })), `s365@${NORTHWIND}`);

    expect(page.page).toBe('admin-approval');
    expect(page.html).toContain('<h1>Need admin approval</h1>');
    expect(page.error).toMatch(
      /^AADSTS90094: Sync 365 needs permission to access resources in your organization that only an admin can grant\./,
    );
    const back = await browser.submit(page.forms[0], {}, 'Return to the application without granting consent');
    expect(back.status).toBe(302);
    const redirect = new URL(back.location!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(env.redirectUri);
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('error_description')).toMatch(/^AADSTS90094: The grant requires admin permission\./);
    expect(redirect.searchParams.get('state')).toBe('state-123');
  });

  it('makes the sign-in helper go back to the app from the approval page', async () => {
    const result = await signIn(env, `s365@${NORTHWIND}`, { scope: SCOPE });

    expect(result.pages).toEqual(['sign-in', 'mfa', 'admin-approval']);
    expect(result.params).toMatchObject({ error: 'access_denied', state: 'state-123' });
    expect(result.params.error_description).toMatch(/^AADSTS90094: /);
    expect(result.params.code).toBeUndefined();
  });

  it('lets an admin take over the flow and consent for the organization; the user then gets in without asking', async () => {
    const browser = new EmulatorBrowser();
    const approval = await passwordAndCode(browser, await browser.get(authorizeUrl(env, { scope: SCOPE })), `s365@${NORTHWIND}`);

    const signInAgain = await browser.submit(approval.forms[0], {}, 'Have an admin account? Sign in with that account');
    const consent = await passwordAndCode(browser, signInAgain, `admin@${NORTHWIND}`);

    expect(consent.page).toBe('consent');
    expect(consent.html).toContain('Consent on behalf of your organization');
    expect(consent.forms[0].fields).not.toHaveProperty('consent_for_organization'); // unticked by default
    const back = await browser.submit(consent.forms[0], { consent_for_organization: 'true' }, 'Accept');
    expect(new URL(back.location!).searchParams.get('code')).toBeTruthy();

    const user = await signIn(env, `s365@${NORTHWIND}`, { scope: SCOPE });
    expect(user.pages).toEqual(['sign-in', 'mfa']);
    expect((await redeemCode(env, user.params.code, { scope: SCOPE })).status).toBe(200);
  });

  it('a Global Administrator consenting only for themselves does not cover the other users', async () => {
    await signIn(env, `admin@${NORTHWIND}`, { scope: SCOPE });

    expect((await signIn(env, `s365@${NORTHWIND}`, { scope: SCOPE })).params.error_description).toMatch(/^AADSTS90094: /);
  });

  describe('GET /{tenant}/v2.0/adminconsent', () => {
    // One `.default` (any resource's) stands for every static permission of the registration (FACTS.md §1.9, §7a.1).
    it('lets an admin consent for the organization and redirects with admin_consent=True, tenant, scope and state', async () => {
      const result = await signInThroughForms(new EmulatorBrowser(), adminConsentUrl(env, { scope: PARTNER_CENTER_DEFAULT_SCOPE }), {
        username: `admin@${NORTHWIND}`,
      });

      expect(result.pages).toEqual(['sign-in', 'mfa', 'admin-consent']);
      expect(result.url.startsWith(`${env.redirectUri}?`)).toBe(true);
      expect(result.params).toEqual({
        admin_consent: 'True',
        tenant: DEMO_IDS.northwindTenant,
        scope: PARTNER_CENTER_DEFAULT_SCOPE,
        state: 'admin-state',
      });

      // Users of that directory are no longer asked, for any of the consented permissions.
      const user = await signIn(env, `s365@${NORTHWIND}`, { scope: `${SCOPE} https://graph.microsoft.com/Organization.Read.All` });
      expect(user.pages).toEqual(['sign-in', 'mfa']);
      // Another directory is not covered.
      expect((await signIn(env, `nomfa@${CONTOSO}`, { scope: SCOPE })).pages).toEqual(['sign-in', 'consent']);
    });

    it('shows the organization-wide consent page to the admin', async () => {
      const browser = new EmulatorBrowser();

      const page = await passwordAndCode(browser, await browser.get(adminConsentUrl(env, {}, NORTHWIND)), `admin@${NORTHWIND}`);

      expect(page.page).toBe('admin-consent');
      expect(page.html).toContain('Accept for your organization');
      expect(page.html).toContain('<li>Read organization information</li>');
    });

    it('redirects with access_denied AADSTS65004 and admin_consent=True when the admin cancels', async () => {
      const result = await signInThroughForms(new EmulatorBrowser(), adminConsentUrl(env), {
        username: `admin@${NORTHWIND}`,
        consent: 'cancel',
      });

      expect(result.params.admin_consent).toBe('True');
      expect(result.params.error).toBe('access_denied');
      expect(result.params.error_description).toMatch(/^AADSTS65004: /);
      expect(result.params.state).toBe('admin-state');
      expect((await signIn(env, `s365@${NORTHWIND}`, { scope: SCOPE })).pages).toEqual(['sign-in', 'mfa', 'admin-approval']);
    });

    it('redirects with access_denied AADSTS90093 when a non-admin signs in', async () => {
      const result = await signInThroughForms(new EmulatorBrowser(), adminConsentUrl(env), { username: `s365@${NORTHWIND}` });

      expect(result.pages).toEqual(['sign-in', 'mfa']);
      expect(result.params).toMatchObject({ admin_consent: 'True', error: 'access_denied', state: 'admin-state' });
      expect(result.params.error_description).toMatch(/^AADSTS90093: /);
    });

    it('shows an error page for an unregistered redirect URI and redirects an error for a missing scope', async () => {
      const browser = new EmulatorBrowser();

      const badRedirect = await browser.get(adminConsentUrl(env, { redirect_uri: 'https://evil.example/callback' }));
      const url = new URL(adminConsentUrl(env));
      url.searchParams.delete('scope');
      const noScope = await browser.get(url.toString());

      expect(badRedirect.page).toBe('error');
      expect(badRedirect.error).toMatch(/^AADSTS50011:/);
      expect(new URL(noScope.location!).searchParams.get('error_description')).toMatch(/^AADSTS900144: /);
    });
  });

  describe('directories where users may consent', () => {
    it('offers a Global Administrator the organization checkbox; ticked, it covers the other users', async () => {
      const admin = await signIn(env, `admin@${CONTOSO}`, { scope: SCOPE }, { consentForOrganization: true });
      expect(admin.pages).toEqual(['sign-in', 'mfa', 'consent']);

      expect((await signIn(env, `nomfa@${CONTOSO}`, { scope: SCOPE })).pages).toEqual(['sign-in']);
    });

    it('does not offer the checkbox to other users', async () => {
      const browser = new EmulatorBrowser();
      const start = await browser.get(authorizeUrl(env, { scope: SCOPE }));
      const consent = await browser.submit(start.forms[0], { username: `nomfa@${CONTOSO}`, password: DEMO_PASSWORD }, 'Sign in');

      expect(consent.page).toBe('consent');
      expect(consent.html).not.toContain('consent_for_organization');
    });
  });
});
