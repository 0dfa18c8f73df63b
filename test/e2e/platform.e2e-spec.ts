import { startTestApp, type TestApp } from '../support/test-app';

describe('the platform around the dashboard (health, API docs, security headers, errors)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports health with a database check, without a session', async () => {
    const response = await fetch(`${t.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves Swagger UI and the OpenAPI document', async () => {
    const ui = await fetch(`${t.baseUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const document = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/me', '/health']));
    // Pages are not API: they stay out of the document.
    expect(Object.keys(document.paths)).not.toContain('/customers');
  });

  it('sends helmet security headers and no framework fingerprint', async () => {
    const response = await fetch(`${t.baseUrl}/auth/sign-in`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves its own styles and scripts (works offline)', async () => {
    for (const asset of ['/assets/app.css', '/assets/app.js', '/assets/favicon.svg']) {
      const response = await fetch(`${t.baseUrl}${asset}`);
      expect(response.status).toBe(200);
    }
  });

  it('shows a friendly page for an unknown address and RFC 7807 JSON for an unknown API route', async () => {
    const page = await fetch(`${t.baseUrl}/auth/no-such-page`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('Page not found');
    expect(html).not.toMatch(/at \w+ \(/); // no stack trace

    const api = await fetch(`${t.baseUrl}/api/no-such-thing`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.json()).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND', instance: '/api/no-such-thing' });
  });

  it('sets an httpOnly, SameSite session cookie only once there is something to keep', async () => {
    const anonymous = await fetch(`${t.baseUrl}/auth/sign-in`);
    expect(anonymous.headers.getSetCookie()).toEqual([]);
    const login = await fetch(`${t.baseUrl}/auth/login`, { redirect: 'manual' });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('sync365.sid='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});
