import { EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import { ShiftedClock } from '../../src/shared/testing/fakes';
import { signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN = 'admin@contoso-partners.example';
const unescapeHtml = (text: string) => text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

// Dashboard sessions: nothing stored for anonymous visitors, a lifetime that ends, Microsoft sign-out offered on
// sign-out, and signed-in pages that no browser keeps.
describe('sessions', () => {
  let t: TestApp;
  const clock = new ShiftedClock();
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    clock.offsetMs = 0;
  });

  const sessions = async () => (await t.query<{ n: number }>('select count(*)::int as n from session'))[0].n;

  it('stores no session for anonymous requests, and carries where to return in the address', async () => {
    const before = await sessions();
    const paths = [
      '/',
      '/customers',
      '/licensing',
      '/settings/api-keys',
      '/auth/sign-in',
      '/portal',
      '/portal/sign-in',
      '/portal/requests',
      '/api/v1/tenants',
      '/health',
      '/no-such-page',
    ];
    for (let round = 0; round < 3; round++) {
      for (const path of paths) {
        const response = await fetch(`${t.baseUrl}${path}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
        expect(response.status).toBeLessThan(500);
        expect(response.headers.getSetCookie()).toEqual([]);
      }
    }
    expect(await sessions()).toBe(before);
    const redirect = await fetch(`${t.baseUrl}/licensing?tab=runs`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('/auth/sign-in?returnTo=%2Flicensing%3Ftab%3Druns');
    const page = unescapeHtml(await (await fetch(`${t.baseUrl}${redirect.headers.get('location')}`)).text());
    expect(page).toContain('href="/auth/login?returnTo=%2Flicensing%3Ftab%3Druns"');
  });

  it('keeps a sign-in that was started but not finished for 10 minutes only', async () => {
    const started = await fetch(`${t.baseUrl}/auth/login`, { redirect: 'manual' });
    expect(started.status).toBe(302);
    const sid = /sync365\.sid=s%3A([^.;]+)/.exec(started.headers.getSetCookie().join(';'))?.[1];
    expect(sid).toBeDefined();
    const [row] = await t.query<{ seconds: number }>(
      'select extract(epoch from expire - now())::int as seconds from session where sid = $1',
      [sid],
    );
    expect(row.seconds).toBeGreaterThan(9 * 60);
    // (A second of leeway: PostgreSQL rounds the interval and its clock reads the time a moment apart from Node's.)
    expect(row.seconds).toBeLessThanOrEqual(10 * 60 + 1);
  });

  it('returns to the page asked for after signing in, with a full-length session', async () => {
    const browser = new EmulatorBrowser();
    const start = await browser.get(`${t.baseUrl}/auth/login?returnTo=${encodeURIComponent('/licensing?tab=runs')}`);
    const back = await signInThroughForms(browser, start.location!, { username: ADMIN });
    const callback = await browser.get(back.url);
    expect(callback.status).toBe(303);
    expect(callback.location).toBe(`${t.baseUrl}/licensing?tab=runs`);
    const sid = decodeURIComponent(browser.cookies(t.baseUrl)['sync365.sid']).slice(2).split('.')[0];
    const [row] = await t.query<{ hours: number }>(
      'select extract(epoch from expire - now())::int / 3600 as hours from session where sid = $1',
      [sid],
    );
    expect(row.hours).toBeGreaterThanOrEqual(11);
  });

  it('never lets a browser keep a signed-in page (Back after sign-out shows nothing)', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    for (const path of ['/customers', '/licensing', '/api/me'])
      expect((await browser.get(`${t.baseUrl}${path}`)).headers.get('cache-control')).toBe('no-store');
  });

  it('ends a session 24 hours after sign-in however active it is', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    for (const hours of [6, 12, 18, 23]) {
      clock.offsetMs = hours * 3600_000;
      expect((await browser.get(`${t.baseUrl}/customers`)).status).toBe(200);
    }
    clock.offsetMs = 25 * 3600_000;
    const after = await browser.get(`${t.baseUrl}/customers`);
    expect(after.status).toBe(303);
    expect(after.location).toContain('/auth/sign-in');
  });

  it('offers Microsoft sign-out on sign-out; after it the next sign-in asks for the password again', async () => {
    const browser = await signInToDashboard(t, ADMIN);
    const home = await browser.get(`${t.baseUrl}/customers`);
    const signOutForm = home.forms.find((form) => form.action.endsWith('/auth/sign-out'))!;
    const signedOut = await browser.submit(signOutForm);
    expect(signedOut.location).toBe(`${t.baseUrl}/auth/sign-in?signed-out=1`);
    const page = await browser.get(signedOut.location!);
    expect(page.html).toContain('You are signed out of Sync 365.');
    const microsoftSignOut = unescapeHtml(/href="([^"]+)" data-microsoft-sign-out/.exec(page.html)?.[1] ?? '');
    expect(microsoftSignOut).toMatch(new RegExp(`^${t.emulator.url}/organizations/oauth2/v2.0/logout\\?`));

    // Without Microsoft sign-out, Microsoft's session signs the same person in again without a password.
    const silent = await browser.get((await browser.get(`${t.baseUrl}/auth/login`)).location!);
    expect(silent.page).not.toBe('sign-in');
    const back = await browser.get(silent.location!);
    expect(back.status).toBe(303);
    await browser.submit((await browser.get(`${t.baseUrl}/customers`)).forms.find((form) => form.action.endsWith('/auth/sign-out'))!);

    const afterMicrosoft = await browser.get(microsoftSignOut);
    expect(afterMicrosoft.location).toBe(`${t.baseUrl}/auth/sign-in?signed-out=microsoft`);
    expect((await browser.get(afterMicrosoft.location!)).html).toContain('signed out of Sync 365 and of Microsoft');
    const asked = await browser.get((await browser.get(`${t.baseUrl}/auth/login`)).location!);
    expect(asked.page).toBe('sign-in');
  });
});
