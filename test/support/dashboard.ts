import { EmulatorBrowser, signInThroughForms, type SignInResult } from '../../libs/microsoft-emulator/src';
import type { TestApp } from './test-app';

// Calls the local Microsoft's control API (reset, clock, faults, overrides…).
export async function emulatorControl(t: TestApp, path: string, body: unknown = {}, method = 'POST'): Promise<unknown> {
  const response = await fetch(`${t.emulator.url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Emulator control ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json().catch(() => undefined);
}

// Starts dashboard sign-in at the app and walks Microsoft's pages; returns the redirect back to the app.
export async function throughMicrosoft(
  t: TestApp,
  browser: EmulatorBrowser,
  username: string,
  consent: 'accept' | 'cancel' = 'accept',
): Promise<SignInResult> {
  const start = await browser.get(`${t.baseUrl}/auth/login`);
  if (start.status !== 302 || !start.location) throw new Error(`/auth/login answered ${start.status}`);
  return signInThroughForms(browser, start.location, { username, consent });
}

// A browser signed in to the dashboard as `username`.
export async function signInToDashboard(t: TestApp, username: string): Promise<EmulatorBrowser> {
  const browser = new EmulatorBrowser();
  const back = await throughMicrosoft(t, browser, username);
  const callback = await browser.get(back.url);
  if (callback.status !== 303) throw new Error(`Sign-in callback answered ${callback.status}: ${callback.html.slice(0, 300)}`);
  return browser;
}

// The CSRF token of a signed-in page's forms.
export async function csrfTokenOf(t: TestApp, browser: EmulatorBrowser, path = '/customers'): Promise<string> {
  const page = await browser.get(`${t.baseUrl}${path}`);
  const token = page.forms.find((f) => f.fields._csrf)?.fields._csrf;
  if (!token) throw new Error(`No CSRF token on ${path}`);
  return token;
}

// Presses Grant Partner Center Consent in a signed-in dashboard and walks Microsoft's pages as `account`; returns
// Sync 365's answer to Microsoft's callback (303 to the Delegated Admin tab when the account was connected).
export async function grantConsent(t: TestApp, browser: EmulatorBrowser, account: string): Promise<{ status: number; html: string }> {
  const start = await browser.post(`${t.baseUrl}/customers/delegated-admins/grant`, {
    _csrf: await csrfTokenOf(t, browser, '/customers/delegated-admins'),
  });
  const back = await signInThroughForms(browser, start.location!, { username: account });
  return browser.get(back.url);
}

// The Owner `owner` invites `username` (a colleague of the same Microsoft directory) with `role` under Settings →
// People; then that colleague signs in to the dashboard for the first time. Returns their signed-in browser.
export async function inviteAndSignIn(
  t: TestApp,
  owner: EmulatorBrowser,
  username: string,
  role: 'owner' | 'admin' | 'billing' | 'viewer',
): Promise<EmulatorBrowser> {
  const invited = await owner.post(`${t.baseUrl}/settings/people/invitations`, {
    _csrf: await csrfTokenOf(t, owner, '/settings/people'),
    email: username,
    role,
  });
  if (invited.status !== 303) throw new Error(`Inviting ${username} answered ${invited.status}: ${invited.html.slice(0, 300)}`);
  return signInToDashboard(t, username);
}
