import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DEMO_IDS, DEMO_MFA_CODE, DEMO_PASSWORD, EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import {
  authorizeUrl,
  claimsOf,
  CONTOSO,
  FABRIKAM,
  headerOf,
  redeemCode,
  signIn,
  useTestEmulator,
  tokensFor,
} from './support/emulator-test-kit';

const pcTokenSample = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'microsoft/pc-access-token-claims-v1-example.json'), 'utf8'),
) as Record<string, unknown>;
const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

describe('authorize endpoint and sign-in pages', () => {
  const env = useTestEmulator();

  it('walks an MFA user through the password, code and consent pages, then redirects back with a code', async () => {
    const browser = new EmulatorBrowser();

    const signInPage = await browser.get(authorizeUrl(env));
    expect(signInPage.status).toBe(200);
    expect(signInPage.page).toBe('sign-in');
    expect(signInPage.html).toContain('<h1>Sign in</h1>');
    expect(signInPage.html).toContain('Local Microsoft emulator — not Microsoft. Demo password Demo-Password-1, MFA code 123456');
    expect(Object.keys(signInPage.forms[0].fields)).toEqual(expect.arrayContaining(['username', 'password']));
    expect(signInPage.forms[0].buttons.map((button) => button.label)).toEqual(['Sign in']);

    const mfaPage = await browser.submit(signInPage.forms[0], { username: `s365@${CONTOSO}`, password: DEMO_PASSWORD }, 'Sign in');
    expect(mfaPage.page).toBe('mfa');
    expect(mfaPage.html).toContain('<h1>Enter code</h1>');
    expect(mfaPage.html).toMatch(/<input[^>]*name="otp"[^>]*inputmode="numeric"[^>]*autocomplete="one-time-code"/);
    expect(mfaPage.forms[0].buttons.map((button) => button.label)).toEqual(['Verify']);

    const consentPage = await browser.submit(mfaPage.forms[0], { otp: DEMO_MFA_CODE }, 'Verify');
    expect(consentPage.page).toBe('consent');
    expect(consentPage.html).toContain('<h1>Permissions requested</h1>');
    expect(consentPage.html).toContain('Sync 365');
    expect(consentPage.html).toContain(`s365@${CONTOSO}`);
    for (const permission of [
      'Sign you in',
      'View your basic profile',
      'View your email address',
      'Maintain access to data you have given it access to',
      'Sign in and read user profile',
    ]) {
      expect(consentPage.html).toContain(`<li>${permission}</li>`);
    }
    expect(consentPage.forms[0].buttons.map((button) => button.label).sort()).toEqual(['Accept', 'Cancel']);
    const sessionCookie = consentPage.headers.getSetCookie().find((cookie) => cookie.startsWith('ESTSAUTH='));
    expect(sessionCookie).toMatch(/; Secure/);
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=None/);

    const back = await browser.submit(consentPage.forms[0], {}, 'Accept');
    expect(back.status).toBe(302);
    const location = new URL(back.location!);
    expect(`${location.origin}${location.pathname}`).toBe(env.redirectUri);
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('redeems the code for a v2 id_token and a v1 access token whose amr shows the MFA', async () => {
    const tokens = await tokensFor(env, `s365@${CONTOSO}`);
    const idToken = claimsOf(tokens.id_token);
    const accessToken = claimsOf(tokens.access_token);

    expect(idToken).toMatchObject({
      iss: `${env.url}/${DEMO_IDS.contosoTenant}/v2.0`,
      aud: env.app.clientId,
      tid: DEMO_IDS.contosoTenant,
      oid: DEMO_IDS.contosoServiceAccount,
      sub: createHash('sha256').update(`${DEMO_IDS.contosoServiceAccount}${env.app.clientId}`).digest('base64url'),
      preferred_username: `s365@${CONTOSO}`,
      email: `s365@${CONTOSO}`,
      name: 'Sync 365 Service Account',
      nonce: 'nonce-456',
      ver: '2.0',
    });
    expect(idToken).not.toHaveProperty('amr');
    expect(idToken.exp - idToken.iat).toBe(3600);

    expect(accessToken).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${DEMO_IDS.contosoTenant}/`,
      amr: ['pwd', 'mfa'],
      appid: env.app.clientId,
      appidacr: '1',
      acr: '1',
      given_name: 'Sync 365',
      family_name: 'Service Account',
      oid: DEMO_IDS.contosoServiceAccount,
      tid: DEMO_IDS.contosoTenant,
      upn: `s365@${CONTOSO}`,
      unique_name: `s365@${CONTOSO}`,
      ver: '1.0',
    });
    expect(accessToken.scp.split(' ')).toContain('User.Read');
    expect(Object.keys(accessToken)).toEqual(expect.arrayContaining(Object.keys(pcTokenSample)));
    expect(headerOf(tokens.access_token)).toMatchObject({ typ: 'JWT', alg: 'RS256', x5t: headerOf(tokens.access_token).kid });
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('signs a user without MFA in without the code page, and its access token has no mfa in amr', async () => {
    const result = await signIn(env, `nomfa@${CONTOSO}`);
    const response = await redeemCode(env, result.params.code);

    expect(result.pages).toEqual(['sign-in', 'consent']);
    expect(claimsOf(response.body.access_token).amr).toEqual(['pwd']);
  });

  it('shows the sign-in page again with an error after a wrong password', async () => {
    const browser = new EmulatorBrowser();
    const page = await browser.get(authorizeUrl(env));

    const again = await browser.submit(page.forms[0], { username: `admin@${CONTOSO}`, password: 'wrong' }, 'Sign in');

    expect(again.status).toBe(200);
    expect(again.page).toBe('sign-in');
    expect(again.error).toBe('Your account or password is incorrect.');
    expect(again.forms[0].fields.username).toBe(`admin@${CONTOSO}`);
  });

  it('shows the code page again with an error after a wrong code, and accepts the right one next', async () => {
    const browser = new EmulatorBrowser();
    const page = await browser.get(authorizeUrl(env));
    const mfaPage = await browser.submit(page.forms[0], { username: `admin@${CONTOSO}`, password: DEMO_PASSWORD }, 'Sign in');

    const again = await browser.submit(mfaPage.forms[0], { otp: '000000' }, 'Verify');
    expect(again.status).toBe(200);
    expect(again.page).toBe('mfa');
    expect(again.error).toBe("You didn't enter the expected verification code. Please try again.");

    const next = await browser.submit(again.forms[0], { otp: DEMO_MFA_CODE }, 'Verify');
    expect(next.page).toBe('consent');
  });

  it('asks for consent once; the next sign-in in the same browser skips password and consent', async () => {
    const browser = new EmulatorBrowser();
    const first = await signIn(env, `admin@${CONTOSO}`, {}, { browser });
    expect(first.pages).toEqual(['sign-in', 'mfa', 'consent']);

    const second = await browser.get(authorizeUrl(env, { state: 'second' }));
    expect(second.status).toBe(302);
    const location = new URL(second.location!);
    expect(location.searchParams.get('state')).toBe('second');
    const response = await redeemCode(env, location.searchParams.get('code')!);
    // MFA is remembered in the SSO session.
    expect(claimsOf(response.body.access_token).amr).toEqual(['pwd', 'mfa']);
  });

  it('asks for the password (and the code) again with prompt=login', async () => {
    const browser = new EmulatorBrowser();
    await signIn(env, `admin@${CONTOSO}`, {}, { browser });

    const again = await signIn(env, `admin@${CONTOSO}`, { prompt: 'login' }, { browser });

    expect(again.pages).toEqual(['sign-in', 'mfa']);
    expect(again.params.code).toBeTruthy();
  });

  it('shows the consent page again with prompt=consent', async () => {
    const browser = new EmulatorBrowser();
    await signIn(env, `nomfa@${CONTOSO}`, {}, { browser });

    const again = await signIn(env, `nomfa@${CONTOSO}`, { prompt: 'consent' }, { browser });

    expect(again.pages).toEqual(['consent']);
  });

  it('asks again for consent when the app requests a scope the user has not granted yet', async () => {
    const browser = new EmulatorBrowser();
    await signIn(env, `admin@${CONTOSO}`, {}, { browser });

    const consent = await browser.get(authorizeUrl(env, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` }));

    expect(consent.page).toBe('consent');
    expect(consent.html).toContain('<li>Access Partner Center</li>');
  });

  it('redirects with access_denied AADSTS65004 when the user cancels consent', async () => {
    const result = await signIn(env, `admin@${CONTOSO}`, {}, { consent: 'cancel' });

    expect(result.params.error).toBe('access_denied');
    expect(result.params.error_description).toMatch(/^AADSTS65004: User declined to consent to access the app\./);
    expect(result.params.state).toBe('state-123');
    expect(result.params.code).toBeUndefined();
  });

  it('posts code, state and id_token back through an auto-submitting form with response_mode=form_post', async () => {
    const browser = new EmulatorBrowser();
    const result = await signInThroughForms(browser, authorizeUrl(env, { response_mode: 'form_post', response_type: 'code id_token' }), {
      username: `nomfa@${CONTOSO}`,
    });

    expect(result.method).toBe('POST');
    expect(result.url).toBe(env.redirectUri);
    expect(Object.keys(result.params)).toEqual(expect.arrayContaining(['code', 'id_token', 'state']));
    const idToken = claimsOf(result.params.id_token);
    expect(idToken.nonce).toBe('nonce-456');
    // c_hash lets passport-azure-ad check the code belongs to this id_token (hybrid flow).
    expect(idToken.c_hash).toBe(createHash('sha256').update(result.params.code).digest().subarray(0, 16).toString('base64url'));

    const page = await browser.get(authorizeUrl(env, { response_mode: 'form_post' }));
    expect(page.page).toBe('form-post');
    expect(page.html).toContain(`<form method="POST" name="hiddenform" action="${env.redirectUri}">`);
    expect(page.html).toContain(
      '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>',
    );
    expect(page.html).toContain('document.forms[0].submit()');
  });

  it('shows AADSTS50011 on an error page and never redirects to an unregistered redirect URI', async () => {
    const browser = new EmulatorBrowser();
    const page = await browser.get(authorizeUrl(env, { redirect_uri: 'https://evil.example/callback' }));

    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
    expect(page.page).toBe('error');
    expect(page.error).toContain(
      `AADSTS50011: The redirect URI 'https://evil.example/callback' specified in the request does not match the redirect URIs configured for the application '${env.app.clientId}'.`,
    );
  });

  it('shows AADSTS700016 on an error page for an unknown client', async () => {
    const page = await new EmulatorBrowser().get(authorizeUrl(env, { client_id: '00000000-0000-0000-0000-000000000000' }));

    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
    expect(page.error).toMatch(/^AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000000' was not found/);
  });

  it('redirects invalid_request when an id_token is requested without a nonce', async () => {
    const page = await new EmulatorBrowser().get(
      authorizeUrl(env, { response_type: 'code id_token', response_mode: 'form_post', nonce: undefined }),
    );

    expect(page.page).toBe('form-post');
    expect(page.forms[0].fields.error).toBe('invalid_request');
    expect(page.forms[0].fields.error_description).toMatch(/^AADSTS900144: .*'nonce'/);
    expect(page.forms[0].fields.state).toBe('state-123');
  });

  it('redirects unsupported_response_type for an unsupported response_type', async () => {
    const page = await new EmulatorBrowser().get(authorizeUrl(env, { response_type: 'token' }));
    const location = new URL(page.location!);

    expect(page.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('redirects invalid_scope AADSTS70011 for a scope of an unknown resource', async () => {
    const page = await new EmulatorBrowser().get(authorizeUrl(env, { scope: 'openid https://foo.microsoft.com/mail.read' }));
    const location = new URL(page.location!);

    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS70011: .*https:\/\/foo\.microsoft\.com\/mail\.read/);
  });

  it('answers prompt=none with login_required when nobody is signed in, and silently once someone is', async () => {
    const browser = new EmulatorBrowser();
    const silentFirst = await browser.get(authorizeUrl(env, { prompt: 'none' }));
    expect(new URL(silentFirst.location!).searchParams.get('error')).toBe('login_required');

    await signIn(env, `nomfa@${CONTOSO}`, {}, { browser });
    const silentAgain = await browser.get(authorizeUrl(env, { prompt: 'none' }));
    expect(new URL(silentAgain.location!).searchParams.get('code')).toBeTruthy();

    const needsConsent = await browser.get(authorizeUrl(env, { prompt: 'none', scope: `openid ${PARTNER_CENTER_SCOPE}` }));
    expect(new URL(needsConsent.location!).searchParams.get('error')).toBe('consent_required');
  });

  it('keeps organizations apart: a tenant endpoint refuses a user of another organization (AADSTS50020)', async () => {
    const browser = new EmulatorBrowser();
    const page = await browser.get(authorizeUrl(env, {}, DEMO_IDS.contosoTenant));
    expect(page.html).toContain('to Contoso Partners');

    const refused = await browser.submit(page.forms[0], { username: `admin@${FABRIKAM}`, password: DEMO_PASSWORD }, 'Sign in');

    expect(refused.page).toBe('sign-in');
    expect(refused.error).toMatch(
      new RegExp(`^AADSTS50020: User account 'admin@${FABRIKAM}' .* does not exist in tenant 'Contoso Partners'`),
    );
  });

  it('signs a user of the second organization in with its own tenant id', async () => {
    const tokens = await tokensFor(env, `admin@${FABRIKAM}`);

    expect(claimsOf(tokens.id_token).tid).toBe(DEMO_IDS.fabrikamTenant);
    expect(claimsOf(tokens.id_token).iss).toBe(`${env.url}/${DEMO_IDS.fabrikamTenant}/v2.0`);
    expect(claimsOf(tokens.access_token).iss).toBe(`https://sts.windows.net/${DEMO_IDS.fabrikamTenant}/`);
  });

  it('lists the accounts of this browser with prompt=select_account and offers another account', async () => {
    const browser = new EmulatorBrowser();
    await signIn(env, `nomfa@${CONTOSO}`, {}, { browser });

    const picker = await browser.get(authorizeUrl(env, { prompt: 'select_account' }));
    expect(picker.page).toBe('select-account');
    expect(picker.forms[0].buttons.map((button) => button.label)).toEqual([`No MFA Agent nomfa@${CONTOSO}`, 'Use another account']);

    const other = await browser.submit(picker.forms[0], {}, 'Use another account');
    expect(other.page).toBe('sign-in');

    const result = await signIn(env, `admin@${CONTOSO}`, { prompt: 'select_account' }, { browser });
    expect(result.pages).toEqual(['select-account', 'sign-in', 'mfa', 'consent']);
  });

  it('prefills the username from login_hint', async () => {
    const page = await new EmulatorBrowser().get(authorizeUrl(env, { login_hint: `sales@${CONTOSO}` }));

    expect(page.forms[0].fields.username).toBe(`sales@${CONTOSO}`);
  });

  it('signs out: clears the SSO cookie and redirects only to a registered origin', async () => {
    const browser = new EmulatorBrowser();
    await signIn(env, `nomfa@${CONTOSO}`, {}, { browser });
    expect(browser.cookies(env.url).ESTSAUTH).toBeDefined();

    const logout = await browser.get(
      `${env.url}/common/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('http://localhost:3999/')}`,
    );
    expect(logout.status).toBe(302);
    expect(logout.location).toBe('http://localhost:3999/');
    expect(browser.cookies(env.url).ESTSAUTH).toBeUndefined();
    expect((await browser.get(authorizeUrl(env))).page).toBe('sign-in');

    const elsewhere = await browser.get(
      `${env.url}/common/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.html).toContain('You signed out');
  });

  it('issues a Partner Center access token shaped like Microsoft sample, with mfa in amr', async () => {
    const result = await signIn(env, `s365@${CONTOSO}`, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` });
    expect(result.pages).toEqual(['sign-in', 'mfa', 'consent']);

    const response = await redeemCode(env, result.params.code, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` });
    const claims = claimsOf(response.body.access_token);

    expect(response.body.scope).toBe(PARTNER_CENTER_SCOPE);
    expect(claims).toMatchObject({
      aud: 'https://api.partnercenter.microsoft.com',
      iss: `https://sts.windows.net/${DEMO_IDS.contosoTenant}/`,
      scp: 'user_impersonation',
      amr: ['pwd', 'mfa'],
      ver: '1.0',
    });
    expect(Object.keys(claims).sort()).toEqual([...Object.keys(pcTokenSample), 'uti'].sort());
  });
});
