import { gzipSync } from 'node:zlib';
import type { EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { API_SCOPES } from '../../src/shared/interface/http/partner-api';
import { createApiKey } from '../support/api-client';
import { csrfTokenOf, signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

// What a client can get wrong about a request is a 4xx with a plain reason (RFC 7807 on the API, a page in the
// dashboard) — never a 500 — and it changes nothing.
describe('bad input is refused with a 4xx and loses nothing', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let key: string;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    key = await createApiKey(t, browser, 'Everything', API_SCOPES);
    cookie = Object.entries(browser.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }, 120_000);
  afterAll(() => t?.close());

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      ...init,
      headers: { accept: 'application/json', authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });
  const page = (path: string, init: RequestInit = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { accept: 'text/html', cookie, ...(init.headers as Record<string, string>) },
    });
  const importRuns = async () => (await t.query<{ n: number }>('select count(*)::int as n from import_runs'))[0].n;

  it('answers a NUL character in an API search with 400 naming the parameter', async () => {
    const response = await api('/api/v1/tenants?q=a%00b');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, code: 'API.INVALID_PARAMETER', field: 'q' });
  });

  it.each(['/customers?q=a%00b', '/licensing?tenant=a%00b'])('answers a NUL character in %s with a friendly 400 page', async (path) => {
    const response = await page(path);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('must not contain the NUL character');
    expect(html).not.toMatch(/at \w+ \(/);
  });

  it('refuses an API key name with a NUL character and creates no key', async () => {
    const before = (await t.query<{ n: number }>('select count(*)::int as n from api_keys'))[0].n;
    const body = new URLSearchParams({
      _csrf: await csrfTokenOf(t, browser, '/settings/api-keys'),
      name: 'a\u0000b',
      scopes: 'read:tenants',
    });
    const response = await page('/settings/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(response.status).toBe(400);
    expect((await t.query<{ n: number }>('select count(*)::int as n from api_keys'))[0].n).toBe(before);
  });

  it('answers a 2 MB body with 413', async () => {
    const response = await api('/api/v1/import-runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: 'HTTP.PAYLOAD_TOO_LARGE' });
    expect(await importRuns()).toBe(0);
  });

  it('answers an unknown charset with 415', async () => {
    const response = await api('/api/v1/import-runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=x-unknown-9' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers a Content-Encoding the body does not have with 400, and a real gzip body is read', async () => {
    const lying = await api('/api/v1/import-runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{"not":"gzip"}',
    });
    expect(lying.status).toBe(400);
    expect(await lying.json()).toMatchObject({ status: 400, code: 'HTTP.INVALID_BODY' });
    // The same header with a body that is gzip gets past the body check (to the route's own answer).
    const honest = await api('/api/v1/tenants?limit=1', { method: 'GET' });
    expect(honest.status).toBe(200);
    const gzipped = await fetch(`${t.baseUrl}/api/v1/import-runs`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync('{}'),
    });
    expect([400, 413, 415, 500]).not.toContain(gzipped.status);
  });

  it.each([
    ['text/plain', 'start please'],
    ['application/xml', '<import/>'],
  ])('answers POST /api/v1/import-runs with a %s body with 415 and starts no import', async (type, body) => {
    const response = await api('/api/v1/import-runs', { method: 'POST', headers: { 'content-type': type }, body });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' });
    expect(await importRuns()).toBe(0);
  });
});
