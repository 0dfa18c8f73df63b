import type { Request, Response } from 'express';
import { CsrfMiddleware, CsrfTokenInvalidError } from './csrf';

function request(options: {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  signedIn?: boolean;
  sessionToken?: string;
  body?: Record<string, unknown>;
}): Request {
  const headers = options.headers ?? {};
  return {
    method: options.method ?? 'POST',
    originalUrl: options.url ?? '/customers/refresh',
    body: options.body,
    user: options.signedIn ? { userId: 'u', organizationId: 'o' } : undefined,
    session: options.sessionToken ? { csrfToken: options.sessionToken } : undefined,
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

function passes(req: Request): boolean {
  let passed = false;
  new CsrfMiddleware().use(req, {} as Response, () => (passed = true));
  return passed;
}

describe('CSRF protection', () => {
  it('lets safe methods through and requires the session token on writes', () => {
    expect(passes(request({ method: 'GET' }))).toBe(true);
    expect(passes(request({ signedIn: true, sessionToken: 'tok', body: { _csrf: 'tok' } }))).toBe(true);
    expect(passes(request({ signedIn: true, sessionToken: 'tok', headers: { 'x-csrf-token': 'tok' } }))).toBe(true);
    expect(() => passes(request({ signedIn: true, sessionToken: 'tok', body: { _csrf: 'other' } }))).toThrow(CsrfTokenInvalidError);
  });

  it('leaves a partner API call with nobody signed in to the request guard (401, not a form error)', () => {
    expect(passes(request({ url: '/api/v1/import-runs' }))).toBe(true);
    expect(() => passes(request({ url: '/api/v1/import-runs', signedIn: true, sessionToken: 'tok' }))).toThrow(CsrfTokenInvalidError);
    expect(() => passes(request({ url: '/customers/refresh', sessionToken: 'tok' }))).toThrow(CsrfTokenInvalidError);
  });

  it('does not ask an API-key request without a session for a token, on partner API paths only', () => {
    expect(passes(request({ url: '/api/v1/import-runs', headers: { authorization: 'Bearer s365_key' } }))).toBe(true);
    // A Bearer header opens no other door: dashboard forms and the portal still need their token.
    expect(() => passes(request({ url: '/portal/requests', headers: { authorization: 'Bearer s365_key' } }))).toThrow(
      CsrfTokenInvalidError,
    );
  });

  it('still checks a signed-in session that also sends a Bearer header', () => {
    expect(() =>
      passes(request({ url: '/api/v1/import-runs', signedIn: true, sessionToken: 'tok', headers: { authorization: 'Bearer s365_key' } })),
    ).toThrow(CsrfTokenInvalidError);
  });
});
