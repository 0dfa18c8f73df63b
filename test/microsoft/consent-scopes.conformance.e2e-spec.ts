import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { DEMO_CUSTOMER_USERS, DEMO_CUSTOMERS, decodeJwt, EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import { incompatibleScopes } from '../../libs/microsoft-emulator/src/identity/scopes';
import { MicrosoftAccessTokens } from '../../src/modules/consent';
import { csrfTokenOf, emulatorControl, signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

// Rule 1 of FACTS.md §7a, the product side: every sign-in and consent Sync 365 starts asks for a scope combination
// Entra accepts at /authorize — and, since passport-azure-ad sends the authorize scopes to /token unless told
// otherwise, one the token endpoint accepts too — and the whole journey works against an emulator that refuses
// the others (test/microsoft/consent-scopes.conformance.spec.ts).
function expectAcceptedAtAuthorize(authorizeUrl: string): string[] {
  const scope = new URL(authorizeUrl).searchParams.get('scope') ?? '';
  expect(incompatibleScopes(scope, { oneResource: false })).toBeUndefined();
  return scope.split(' ');
}

function claims(token: string): Record<string, any> {
  return decodeJwt(token)!.claims as Record<string, any>;
}

describe('Sync 365 asks Microsoft for scopes it accepts (e2e through the local Microsoft)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await emulatorControl(t, 'reset');
  });

  it('dashboard sign-in: Graph scopes only, accepted at /authorize and at /token', async () => {
    const browser = new EmulatorBrowser();
    const start = await browser.get(`${t.baseUrl}/auth/login`);

    const scopes = expectAcceptedAtAuthorize(start.location!);
    expect(incompatibleScopes(scopes.join(' '), { oneResource: true })).toBeUndefined();
    const back = await signInThroughForms(browser, start.location!, { username: 'admin@contoso-partners.example' });
    expect(back.params.error).toBeUndefined();
    expect((await browser.get(back.url)).status).toBe(303);
  });

  it('Grant Partner Center Consent: one .default at /authorize, Partner Center at /token, then a token per resource and tenant', async () => {
    const browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    const start = await browser.post(`${t.baseUrl}/customers/delegated-admins/grant`, {
      _csrf: await csrfTokenOf(t, browser, '/customers/delegated-admins'),
    });

    const scopes = expectAcceptedAtAuthorize(start.location!);
    expect(scopes.filter((scope) => scope.endsWith('/.default'))).toEqual(['https://api.partnercenter.microsoft.com/.default']);
    const back = await signInThroughForms(browser, start.location!, { username: 's365@contoso-partners.example' });
    // One consent prompt (the account picker comes first: the dashboard's own sign-in is in that browser).
    expect(back.pages).toEqual(['select-account', 'sign-in', 'mfa', 'consent']);
    const callback = await browser.get(back.url);
    // MFA (amr of the Partner Center token) and Admin Agent were checked: the account is connected.
    expect(callback.status).toBe(303);
    const [admin] = await t.query<{ id: string; organization_id: string; status: string; mfa_verified: boolean }>(
      'select id, organization_id, status, mfa_verified from delegated_admins where account_upn = $1',
      ['s365@contoso-partners.example'],
    );
    expect(admin).toMatchObject({ status: 'active', mfa_verified: true });

    // What the import needs, through the token vault: Partner Center, Graph in the partner directory (GDAP
    // relationships) and Graph in a customer directory — each one resource, all covered by that one consent.
    const tokens = t.app.get(MicrosoftAccessTokens, { strict: false });
    const orm = t.app.get(MikroORM);
    const inContext = <T>(work: () => Promise<T>) => RequestContext.create(orm.em, work);
    const partnerCenter = claims(await inContext(() => tokens.forPartnerCenter(admin.organization_id, admin.id)));
    const partnerGraph = claims(await inContext(() => tokens.forPartnerGraph(admin.organization_id, admin.id)));
    const customerGraph = claims(await inContext(() => tokens.forGraph(admin.organization_id, admin.id, DEMO_CUSTOMERS.adatum.id)));
    expect(partnerCenter).toMatchObject({ aud: 'https://api.partnercenter.microsoft.com', scp: 'user_impersonation' });
    expect(partnerGraph.aud).toBe('https://graph.microsoft.com');
    expect(partnerGraph.scp.split(' ')).toEqual(expect.arrayContaining(['DelegatedAdminRelationship.Read.All', 'Organization.Read.All']));
    expect(customerGraph).toMatchObject({ aud: 'https://graph.microsoft.com', tid: DEMO_CUSTOMERS.adatum.id });
  });

  it('admin consent link (Northwind): one .default, which the administrator approves, after which consent connects', async () => {
    const browser = await signInToDashboard(t, 'admin@northwind-partners.example');
    const start = await browser.post(`${t.baseUrl}/customers/delegated-admins/grant`, {
      _csrf: await csrfTokenOf(t, browser, '/customers/delegated-admins'),
    });
    const refused = await browser.get(
      (await signInThroughForms(browser, start.location!, { username: 's365@northwind-partners.example' })).url,
    );
    expect(refused.status).toBe(403);
    const link = /id="admin-consent-url"[^>]*value="([^"]+)"/
      .exec(refused.html)?.[1]
      ?.replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');

    expect(expectAcceptedAtAuthorize(link!)).toEqual(['https://api.partnercenter.microsoft.com/.default']);
    const approved = await signInThroughForms(browser, link!, { username: 'admin@northwind-partners.example' });
    expect(approved.params).toMatchObject({ admin_consent: 'True' });
    expect(approved.params.error).toBeUndefined();
    await browser.get(approved.url);

    const again = await browser.post(`${t.baseUrl}/customers/delegated-admins/grant`, {
      _csrf: await csrfTokenOf(t, browser, '/customers/delegated-admins'),
    });
    const back = await signInThroughForms(browser, again.location!, { username: 's365@northwind-partners.example' });
    // The administrator's approval covers it: no consent page this time.
    expect(back.pages).not.toContain('consent');
    expect(back.pages).not.toContain('admin-approval');
    expect((await browser.get(back.url)).status).toBe(303);
  });

  it("explains Microsoft's invalid_scope answer as an app registration problem, with the fix, and saves nothing", async () => {
    const browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    const connected = async () => (await t.query('select id from delegated_admins')).length;
    const before = await connected();
    const start = await browser.post(`${t.baseUrl}/customers/delegated-admins/grant`, {
      _csrf: await csrfTokenOf(t, browser, '/customers/delegated-admins'),
    });
    // The combination Sync 365 used to send, in the request this session started (same state): Entra refuses it.
    const authorize = new URL(start.location!);
    authorize.searchParams.set(
      'scope',
      'openid profile offline_access https://api.partnercenter.microsoft.com/user_impersonation https://graph.microsoft.com/.default',
    );
    const refusedByMicrosoft = await browser.get(authorize.toString());
    expect(new URL(refusedByMicrosoft.location!).searchParams.get('error')).toBe('invalid_scope');

    const page = await browser.get(refusedByMicrosoft.location!);

    expect(page.status).toBe(400);
    expect(page.html).toContain('Microsoft refused the permissions Sync 365 asked for');
    expect(page.html).toContain('Organization.Read.All');
    expect(await connected()).toBe(before);
  });

  it('licence portal sign-in: Graph scopes only, accepted at /authorize and at /token', async () => {
    const browser = new EmulatorBrowser();
    const start = await browser.get(`${t.baseUrl}/portal/login`);

    const scopes = expectAcceptedAtAuthorize(start.location!);
    expect(incompatibleScopes(scopes.join(' '), { oneResource: true })).toBeUndefined();
    const back = await signInThroughForms(browser, start.location!, { username: DEMO_CUSTOMER_USERS.rebecca });
    expect(back.params.error).toBeUndefined();
    // Microsoft's answer was redeemed and verified: the refusal is Sync 365's own (Woodgrove has no portal).
    expect((await browser.get(back.url)).html).toContain('Your organization has no licence portal in Sync 365');
  });
});
