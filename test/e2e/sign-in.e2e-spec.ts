import { EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import { emulatorControl, inviteAndSignIn, signInToDashboard, throughMicrosoft as walkMicrosoft } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO_ADMIN = 'admin@contoso-partners.example';
const FABRIKAM_ADMIN = 'admin@fabrikam-reseller.example';

describe('dashboard sign-in with Microsoft (e2e over HTTP, through the local Microsoft)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => emulatorControl(t, 'reset'));

  const control = (path: string, body: unknown = {}) => emulatorControl(t, path, body);
  const throughMicrosoft = (browser: EmulatorBrowser, username: string, consent: 'accept' | 'cancel' = 'accept') =>
    walkMicrosoft(t, browser, username, consent);
  const signIn = (username = CONTOSO_ADMIN) => signInToDashboard(t, username);

  async function me(browser: EmulatorBrowser) {
    const response = await browser.get(`${t.baseUrl}/api/me`);
    return { status: response.status, body: JSON.parse(response.html) as Record<string, string> };
  }

  it('redirects a page without a session to the sign-in page, which says what Sync 365 does', async () => {
    const browser = new EmulatorBrowser();
    const page = await browser.get(`${t.baseUrl}/customers`);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`${t.baseUrl}/auth/sign-in?returnTo=%2Fcustomers`);
    const signInPage = await browser.get(page.location!);
    expect(signInPage.status).toBe(200);
    expect(signInPage.html).toContain('Sign in with Microsoft');
    expect(signInPage.html).toContain('imports every customer tenant');
  });

  it('answers the API without a session with 401 problem JSON', async () => {
    const response = await fetch(`${t.baseUrl}/api/me`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, code: 'AUTH.SIGN_IN_REQUIRED' });
  });

  it('sends the user to Microsoft with state and nonce on the common endpoint', async () => {
    const start = await new EmulatorBrowser().get(`${t.baseUrl}/auth/login`);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${t.emulator.url}/common/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(t.config.microsoft.clientId);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/auth/callback`);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'User.Read']));
  });

  it('signs a partner admin in (password, MFA, consent) and shows the dashboard of their organization', async () => {
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN);
    expect(back.pages).toEqual(['sign-in', 'mfa', 'consent']);
    await browser.get(back.url);
    // The landing page is the overview (before Partner Center is connected it offers to connect it).
    const customers = await browser.get(`${t.baseUrl}/`);
    expect(customers.status).toBe(200);
    expect(customers.html).toContain('<h1>Overview</h1>');
    expect(customers.html).toContain('href="/customers/delegated-admins">Connect Partner Center</a>');
    // The organization is named as Microsoft Graph names the directory.
    expect(customers.html).toContain('Contoso Partners');
    expect(customers.html).toContain('Contoso Admin');
    expect(customers.html).toContain('Delegated Admin');
    expect((await me(browser)).body).toMatchObject({
      userPrincipalName: CONTOSO_ADMIN,
      organizationName: 'Contoso Partners',
      displayName: 'Contoso Admin',
    });
  });

  it('puts the (invited) second user of a directory in the same organization, and another directory in its own', async () => {
    const owner = await signIn(CONTOSO_ADMIN);
    const admin = await me(owner);
    const colleague = await me(await inviteAndSignIn(t, owner, 's365@contoso-partners.example', 'admin'));
    const other = await me(await signIn(FABRIKAM_ADMIN));
    expect(colleague.body.organizationId).toBe(admin.body.organizationId);
    expect(colleague.body.userId).not.toBe(admin.body.userId);
    expect(other.body.organizationId).not.toBe(admin.body.organizationId);
    expect(other.body.organizationName).toBe('Fabrikam Reseller');
  });

  it('rejects a forged state and stores no session', async () => {
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN);
    const forged = new URL(back.url);
    forged.searchParams.set('state', 'forged-state-value');
    const callback = await browser.get(forged.toString());
    expect(callback.status).toBe(401);
    expect(callback.html).toContain('already been used or has expired');
    expect((await me(browser)).status).toBe(401);
  });

  it('rejects a replayed callback', async () => {
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN);
    expect((await browser.get(back.url)).status).toBe(303);
    const attacker = new EmulatorBrowser();
    const replayed = await attacker.get(back.url);
    expect(replayed.status).toBe(401);
    expect((await me(attacker)).status).toBe(401);
  });

  it.each([
    ['a wrong issuer', { iss: 'https://login.attacker.example/aaaaaaaa-0000-0000-0000-000000000000/v2.0' }],
    ['a wrong audience', { aud: '00000000-0000-0000-0000-000000000bad' }],
    ['a wrong nonce', { nonce: 'not-the-nonce-we-sent' }],
  ])('rejects an id_token with %s', async (_, claims) => {
    await control('id-token-overrides', { claims, count: 1 });
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN);
    const callback = await browser.get(back.url);
    expect(callback.status).toBe(401);
    expect(callback.html).toMatch(/not accepted/);
    expect(callback.html).toContain('AUTH.SIGN_IN_FAILED');
    expect((await me(browser)).status).toBe(401);
  });

  it('explains in plain words when the user declines consent', async () => {
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN, 'cancel');
    expect(back.params.error).toBe('access_denied');
    const callback = await browser.get(back.url);
    expect(callback.status).toBe(401);
    expect(callback.html).toContain('You declined the permissions Sync 365 asked for');
    expect(callback.html).toContain('Accept');
  });

  it('returns the user to the page they asked for after signing in', async () => {
    const browser = new EmulatorBrowser();
    // The page sends the browser to the sign-in page, whose button carries where to return.
    const asked = await browser.get(`${t.baseUrl}/customers/delegated-admins`);
    const signInPage = await browser.get(asked.location!);
    const button = /href="(\/auth\/login[^"]*)"/.exec(signInPage.html)![1].replace(/&#x3D;/g, '=');
    const start = await browser.get(`${t.baseUrl}${button}`);
    const back = await signInThroughForms(browser, start.location!, { username: CONTOSO_ADMIN });
    const callback = await browser.get(back.url);
    expect(callback.location).toBe(`${t.baseUrl}/customers/delegated-admins`);
  });

  it('signs out only with the form’s CSRF token', async () => {
    const browser = await signIn();
    const page = await browser.get(`${t.baseUrl}/customers`);
    const signOutForm = page.forms.find((f) => f.action.endsWith('/auth/sign-out'))!;
    expect(signOutForm.fields._csrf).toBeTruthy();

    const forged = await browser.post(`${t.baseUrl}/auth/sign-out`, {});
    expect(forged.status).toBe(403);
    expect((await me(browser)).status).toBe(200);

    const signedOut = await browser.submit(signOutForm, {}, 'Sign out');
    expect(signedOut.status).toBe(303);
    expect(signedOut.location).toBe(`${t.baseUrl}/auth/sign-in?signed-out=1`);
    expect((await me(browser)).status).toBe(401);
  });

  it('keeps authorization codes, state, tokens and cookies out of the logs', async () => {
    t.logs.length = 0;
    const browser = new EmulatorBrowser();
    const back = await throughMicrosoft(browser, CONTOSO_ADMIN);
    await browser.get(back.url);
    await browser.get(`${t.baseUrl}/customers`);
    const logs = t.logs.join('\n');
    expect(logs).toContain('/auth/callback?code=%5Bredacted%5D');
    for (const secret of [
      back.params.code,
      back.params.state,
      t.config.microsoft.clientSecret,
      t.config.sessionSecret,
      browser.cookies(t.baseUrl)['sync365.sid'],
    ]) {
      expect(secret).toBeTruthy();
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(encodeURIComponent(secret));
    }
    for (const line of t.logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});
