import { DEMO_MFA_CODE, DEMO_PASSWORD } from '../scenario/demo.scenario';
import type { BrowserResponse, EmulatorBrowser } from './emulator-browser';

export interface SignInOptions {
  username?: string; // needed unless the browser's SSO session signs in silently
  password?: string; // default DEMO_PASSWORD
  otp?: string; // default DEMO_MFA_CODE
  consent?: 'accept' | 'cancel'; // default accept
  consentForOrganization?: boolean; // a Global Administrator ticks "Consent on behalf of your organization"
}

// Where the emulator sends the browser back to the app.
export interface SignInResult {
  method: 'GET' | 'POST'; // GET: redirect (query/fragment); POST: response_mode=form_post
  url: string; // the redirect URI (for GET including its query)
  params: Record<string, string>; // code, state, id_token, session_state, or error, error_description
  pages: string[]; // emulator pages walked through, e.g. ['sign-in', 'mfa', 'consent']
}

export class SignInError extends Error {
  constructor(
    message: string,
    readonly response: BrowserResponse,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

// Walks the sign-in pages like a user: authorize (or adminconsent) → username/password → code → Accept/Cancel
// (or, on "Need admin approval", back to the app),
// following redirects inside the emulator, and stops at the response for the app.
// Throws SignInError when a page shows an error instead of moving on (wrong password, AADSTS page).
export async function signInThroughForms(
  browser: EmulatorBrowser,
  authorizeUrl: string,
  options: SignInOptions = {},
): Promise<SignInResult> {
  const origin = new URL(authorizeUrl).origin;
  const pages: string[] = [];
  const answered = new Set<string>();
  let response = await browser.get(authorizeUrl);

  for (let step = 0; step < 20; step++) {
    if (response.location) {
      const next = new URL(response.location);
      if (next.origin === origin) {
        response = await browser.get(next.toString());
        continue;
      }
      return { method: 'GET', url: next.toString(), params: responseParams(next), pages };
    }
    const form = response.forms[0];
    if (response.page === 'form-post' && form) return { method: 'POST', url: form.action, params: form.fields, pages };

    const page = response.page ?? `HTTP ${response.status}`;
    pages.push(page);
    // A page that comes back after we answered it is showing an error.
    if (answered.has(page) && response.error) throw new SignInError(`${page} page: ${response.error}`, response);
    if (!form || response.status !== 200) {
      throw new SignInError(`Sign-in stopped on the ${page} page: ${response.error ?? response.html.slice(0, 200)}`, response);
    }
    answered.add(page);

    if (page === 'sign-in') {
      if (!options.username) throw new SignInError('The sign-in page asks for a username but none was given', response);
      response = await browser.submit(form, { username: options.username, password: options.password ?? DEMO_PASSWORD }, 'Sign in');
    } else if (page === 'mfa') {
      response = await browser.submit(form, { otp: options.otp ?? DEMO_MFA_CODE }, 'Verify');
    } else if (page === 'admin-approval') {
      // "Need admin approval": a user can only go back to the app (which then gets AADSTS90094).
      response = await browser.submit(form, {}, 'Return to the application without granting consent');
    } else if (page === 'consent' || page === 'admin-consent') {
      const values: Record<string, string> = options.consentForOrganization ? { consent_for_organization: 'true' } : {};
      response = await browser.submit(form, values, options.consent === 'cancel' ? 'Cancel' : 'Accept');
    } else if (page === 'select-account') {
      const account = options.username
        ? form.buttons.find((button) => button.label.toLowerCase().includes(options.username!.toLowerCase()))
        : form.buttons[0];
      response = await browser.submit(form, account ? { account: account.value ?? '' } : { account: 'other' });
    } else {
      throw new SignInError(`Unexpected ${page} page: ${response.error ?? ''}`, response);
    }
  }
  throw new SignInError('Too many steps without reaching the app', response);
}

function responseParams(url: URL): Record<string, string> {
  return { ...Object.fromEntries(new URLSearchParams(url.hash.slice(1))), ...Object.fromEntries(url.searchParams) };
}
