import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { freePort } from '../../src/shared/infrastructure/free-port';
import { FixedClock } from '../../src/shared/testing/fakes';
import { csrfTokenOf, grantConsent, signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO_ADMIN = 'admin@contoso-partners.example';
const CONTOSO_SERVICE_ACCOUNT = 's365@contoso-partners.example';
const FABRIKAM_ADMIN = 'admin@fabrikam-reseller.example';
const KEY = /s365_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/;

describe('API keys and partner API authentication (e2e over HTTP)', () => {
  let t: TestApp;
  let contoso: EmulatorBrowser;
  let fabrikam: EmulatorBrowser;

  beforeAll(async () => {
    t = await startTestApp();
    contoso = await signInToDashboard(t, CONTOSO_ADMIN);
    fabrikam = await signInToDashboard(t, FABRIKAM_ADMIN);
  });
  afterAll(() => t.close());

  const cookieOf = (browser: EmulatorBrowser) =>
    Object.entries(browser.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');

  // Posts the key form like a browser, with any number of ticked scopes.
  async function submitKeyForm(browser: EmulatorBrowser, name: string, scopes: string[]) {
    const fields: [string, string][] = [
      ['_csrf', await csrfTokenOf(t, browser, '/settings/api-keys')],
      ['name', name],
      ...scopes.map((scope): [string, string] => ['scopes', scope]),
    ];
    const body = new URLSearchParams(fields);
    const response = await fetch(`${t.baseUrl}/settings/api-keys`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieOf(browser), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body,
    });
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  async function createKey(browser: EmulatorBrowser, name: string, scopes: string[]) {
    const page = await submitKeyForm(browser, name, scopes);
    if (page.status !== 201) throw new Error(`Creating a key answered ${page.status}: ${page.html.slice(0, 300)}`);
    const clearKey = KEY.exec(page.html)![0];
    const id = /data-api-key-created="([^"]+)"/.exec(page.html)![1];
    return { id, clearKey, page };
  }

  interface Problem {
    status: number;
    code: string;
    detail: string;
  }
  interface OpenApiDocument {
    info: { description: string };
    components: { securitySchemes: Record<string, unknown> };
    paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
  }
  // The row of one key in the Settings → API keys table.
  async function keyRow(id: string): Promise<string> {
    const html = (await contoso.get(`${t.baseUrl}/settings/api-keys`)).html;
    const row = new RegExp(`<tr data-api-key="${id}">[\\s\\S]*?</tr>`).exec(html);
    if (!row) throw new Error(`No row for key ${id}`);
    return row[0];
  }
  const json = <T>(response: Response): Promise<T> => response.json() as Promise<T>;

  function api(
    path: string,
    options: { key?: string; authorization?: string; method?: string; cookie?: string; csrf?: string; baseUrl?: string } = {},
  ) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.authorization) headers.authorization = options.authorization;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.method) headers['content-type'] = 'application/json';
    return fetch(`${options.baseUrl ?? t.baseUrl}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.method ? '{}' : undefined,
    });
  }

  it('explains on the empty page what a key is for and links the API reference', async () => {
    const page = await contoso.get(`${t.baseUrl}/settings/api-keys`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('No API keys yet');
    expect(page.html).toContain('href="/api/docs"');
    expect(page.html).toContain('read:reconciliation');
    expect(page.html).toContain('Reconciliation runs, changes, discrepancies');
  });

  it('shows a new key once, stores only the hash of its secret, and records who created it', async () => {
    const { id, clearKey, page } = await createKey(contoso, 'Billing export', ['read:tenants', 'read:licenses']);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('only time it is shown');
    const secret = clearKey.split('_').slice(2).join('_');
    const publicId = clearKey.split('_')[1];

    const [row] = await t.query<{ public_id: string; secret_hash: string; scopes: string[]; whole: string }>(
      'select public_id, secret_hash, scopes, row_to_json(api_keys)::text as whole from api_keys where id = $1',
      [id],
    );
    expect(row.public_id).toBe(publicId);
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(row.scopes).toEqual(['read:tenants', 'read:licenses']);
    expect(row.whole).not.toContain(secret);

    const list = await contoso.get(`${t.baseUrl}/settings/api-keys`);
    expect(list.html).toContain('Billing export');
    expect(list.html).toContain(`s365_${publicId}_…`);
    expect(list.html).not.toContain(secret);
    expect(list.html).toContain('Never');
    expect(JSON.stringify(await t.query('select * from session'))).not.toContain(secret);

    const audit = await t.query<{ action: string; subject: string; actor_name: string; detail: string }>(
      "select action, subject, actor_name, detail from audit_entries where action = 'accounts.api-key-created'",
    );
    expect(audit).toEqual([expect.objectContaining({ subject: 'Billing export', actor_name: 'Contoso Admin' })]);
    expect(audit[0].detail).not.toContain(secret);
  });

  it('refuses a key without a permission or a name, keeping what was typed', async () => {
    const before = (await t.query('select id from api_keys')).length;
    const noScope = await submitKeyForm(contoso, 'Half-finished', []);
    expect(noScope.status).toBe(422);
    expect(noScope.html).toContain('Choose at least one permission');
    expect(noScope.html).toContain('value="Half-finished"');
    expect(noScope.html).toContain('<fieldset aria-describedby="api-key-scopes-error">');
    const noName = await submitKeyForm(contoso, '   ', ['read:tenants']);
    expect(noName.status).toBe(422);
    expect(noName.html).toMatch(
      /aria-invalid="true" aria-describedby="api-key-name-error">\s*<span class="field-error" id="api-key-name-error">Give the key a name/,
    );
    expect(noName.html).toContain('name="scopes" value="read:tenants" checked');
    expect((await t.query('select id from api_keys')).length).toBe(before);
  });

  it('answers a partner API request without a key with 401 problem+json and a Bearer challenge', async () => {
    const response = await api('/api/v1/tenants');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="Sync 365"');
    expect(await response.json()).toMatchObject({ status: 401, code: 'API.UNAUTHENTICATED', instance: '/api/v1/tenants' });
  });

  it('refuses malformed and unknown keys with 401', async () => {
    const { clearKey } = await createKey(contoso, 'Real one', ['read:tenants']);
    const unknown = clearKey.replace(/^s365_[0-9a-f]{16}_/, 's365_ffffffffffffffff_');
    const wrongSecret = clearKey.slice(0, -2) + (clearKey.endsWith('AA') ? 'BB' : 'AA');
    for (const authorization of [
      'Bearer nonsense',
      `Bearer ${unknown}`,
      `Bearer ${wrongSecret}`,
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    ]) {
      const response = await api('/api/v1/tenants', { authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer realm="Sync 365"');
      expect((await json<Problem>(response)).code).toBe('API.UNAUTHENTICATED');
    }
  });

  it('lets a key with the scope read, records its last use, and refuses a scope it lacks with 403 naming it', async () => {
    const { id, clearKey } = await createKey(contoso, 'Licences only', ['read:licenses']);
    const forbidden = await api('/api/v1/tenants', { key: clearKey });
    expect(forbidden.status).toBe(403);
    const problem = await json<Problem>(forbidden);
    expect(problem).toMatchObject({ status: 403, code: 'API.SCOPE_FORBIDDEN' });
    expect(problem.detail).toContain('read:tenants');

    const reader = await createKey(contoso, 'Tenant reader', ['read:tenants']);
    const ok = await api('/api/v1/tenants', { key: reader.clearKey });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ items: [], nextCursor: null });
    const [used] = await t.query<{ last_used_at: Date | null }>('select last_used_at from api_keys where id = $1', [reader.id]);
    expect(used.last_used_at).not.toBeNull();
    const row = await keyRow(reader.id);
    expect(row).not.toContain('Never');
    expect(row.match(/UTC/g)).toHaveLength(2);
    // The key refused for its scope was still used (and counted).
    expect(await keyRow(id)).not.toContain('Never');
  });

  it('keeps the signed-in session working on the same partner API routes', async () => {
    const response = await api('/api/v1/tenants', { cookie: cookieOf(contoso) });
    expect(response.status).toBe(200);
    expect((await api('/api/me', { cookie: cookieOf(contoso) })).status).toBe(200);
  });

  it('asks session writes for the CSRF token, but not API-key writes', async () => {
    const cookie = cookieOf(contoso);
    const noToken = await api('/api/v1/import-runs', { method: 'POST', cookie });
    expect(noToken.status).toBe(403);
    expect((await json<Problem>(noToken)).code).toBe('WEB.CSRF_TOKEN_INVALID');
    const withToken = await api('/api/v1/import-runs', { method: 'POST', cookie, csrf: await csrfTokenOf(t, contoso) });
    expect(withToken.status).toBe(202);

    const { clearKey } = await createKey(contoso, 'Sync trigger', ['write:sync']);
    const byKey = await api('/api/v1/import-runs', { method: 'POST', key: clearKey });
    expect(byKey.status).toBe(202);
    expect(await byKey.json()).toMatchObject({ started: 0 });
  });

  it('does not let a Bearer header excuse a signed-in session from the CSRF check', async () => {
    const { clearKey } = await createKey(contoso, 'Also sync', ['write:sync']);
    const cookie = cookieOf(contoso);
    const apiWrite = await api('/api/v1/import-runs', { method: 'POST', cookie, key: clearKey });
    expect(apiWrite.status).toBe(403);
    const pageWrite = await fetch(`${t.baseUrl}/settings/api-keys`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, authorization: `Bearer ${clearKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Sneaky&scopes=write%3Async',
    });
    expect(pageWrite.status).toBe(403);
    // Without the session, a Bearer header opens no dashboard door: the form's CSRF check refuses it first.
    const anonymous = await fetch(`${t.baseUrl}/settings/api-keys`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${clearKey}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Sneaky&scopes=write%3Async',
    });
    expect(anonymous.status).toBe(403);
    expect(((await anonymous.json()) as { code: string }).code).toBe('WEB.CSRF_TOKEN_INVALID');
    expect((await t.query("select id from api_keys where name = 'Sneaky'")).length).toBe(0);
  });

  it('counts requests per key across app instances and answers 429 with Retry-After past the limit', async () => {
    const { clearKey } = await createKey(contoso, 'Busy script', ['read:tenants']);
    // Two more instances on the same database, with a limit of 3 a minute and a clock 20 s into a minute.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const instances: { app: NestExpressApplication; baseUrl: string }[] = [];
    const logs: string[] = [];
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const config = new AppConfig({ ...t.config, port, apiRateLimitPerMinute: 3 });
        const app = await createApp(config, { clock: new FixedClock(new Date(minute + 20_000)), logDestination });
        await app.listen(port, '127.0.0.1');
        instances.push({ app, baseUrl: `http://127.0.0.1:${port}` });
      }
      const [a, b] = instances;
      for (const instance of [a, b, a])
        expect((await api('/api/v1/tenants', { key: clearKey, baseUrl: instance.baseUrl })).status).toBe(200);
      const limited = await api('/api/v1/tenants', { key: clearKey, baseUrl: b.baseUrl });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(await limited.json()).toMatchObject({ status: 429, code: 'API.RATE_LIMITED' });
      // Another key has its own allowance.
      const other = await createKey(contoso, 'Quiet script', ['read:tenants']);
      expect((await api('/api/v1/tenants', { key: other.clearKey, baseUrl: a.baseUrl })).status).toBe(200);
      expect(logs.join('')).toContain('"statusCode":429');
      expect(logs.join('')).not.toMatch(KEY);
    } finally {
      for (const instance of instances) await instance.app.close();
    }
  });

  it("scopes a key to its organization's data", async () => {
    // Contoso connects its Partner Center account; Fabrikam connects nothing.
    expect((await grantConsent(t, contoso, CONTOSO_SERVICE_ACCOUNT)).status).toBe(303);

    const contosoKey = await createKey(contoso, 'Contoso reader', ['read:tenants']);
    const fabrikamKey = await createKey(fabrikam, 'Fabrikam reader', ['read:tenants']);
    const contosoAdmins = await json<{ items: { id: string; accountUpn: string }[] }>(
      await api('/api/v1/delegated-admins', { key: contosoKey.clearKey }),
    );
    const fabrikamAdmins = await json<{ items: unknown[] }>(await api('/api/v1/delegated-admins', { key: fabrikamKey.clearKey }));
    expect(contosoAdmins.items.map((admin) => admin.accountUpn)).toEqual([CONTOSO_SERVICE_ACCOUNT]);
    expect(fabrikamAdmins.items).toEqual([]);
    const contosoAdminId = contosoAdmins.items[0].id;
    expect((await api(`/api/v1/delegated-admins/${contosoAdminId}`, { key: fabrikamKey.clearKey })).status).toBe(404);

    // Fabrikam's dashboard neither lists nor revokes Contoso's keys.
    expect((await fabrikam.get(`${t.baseUrl}/settings/api-keys`)).html).not.toContain('Contoso reader');
    const revokeOther = await fabrikam.post(`${t.baseUrl}/settings/api-keys/${contosoKey.id}/revoke`, {
      _csrf: await csrfTokenOf(t, fabrikam, '/settings/api-keys'),
    });
    expect(revokeOther.status).toBe(404);
    expect((await api('/api/v1/delegated-admins', { key: contosoKey.clearKey })).status).toBe(200);
  });

  it('revokes a key after confirmation: refused from then on, and recorded', async () => {
    const { id, clearKey } = await createKey(contoso, 'Old integration', ['read:tenants']);
    expect((await api('/api/v1/tenants', { key: clearKey })).status).toBe(200);

    const confirm = await contoso.get(`${t.baseUrl}/settings/api-keys/${id}/revoke`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Revoke the API key');
    const form = confirm.forms.find((f) => f.action.endsWith(`/settings/api-keys/${id}/revoke`))!;
    const done = await contoso.submit(form);
    expect(done.status).toBe(303);
    const list = await contoso.get(done.location!);
    expect(list.html).toContain('was revoked');
    expect(await keyRow(id)).toContain('Revoked');
    expect(await keyRow(id)).not.toContain('/revoke"');

    const refused = await api('/api/v1/tenants', { key: clearKey });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const audit = await t.query<{ subject: string; actor_name: string }>(
      "select subject, actor_name from audit_entries where action = 'accounts.api-key-revoked'",
    );
    expect(audit).toEqual([{ subject: 'Old integration', actor_name: 'Contoso Admin' }]);
    expect((await contoso.get(`${t.baseUrl}/settings/audit-log`)).html).toContain('API key revoked');
  });

  it('never writes a key to the log', async () => {
    const keys = (await t.query<{ public_id: string }>('select public_id from api_keys')).map((row) => row.public_id);
    expect(keys.length).toBeGreaterThan(0);
    const log = t.logs.join('\n');
    expect(log).not.toMatch(KEY);
  });

  it('describes API-key authentication in the OpenAPI document', async () => {
    const document = await json<OpenApiDocument>(await fetch(`${t.baseUrl}/api/docs-json`));
    expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.info.description).toContain('Retry-After');
    expect(document.info.description).toContain('write:sync');
    const listTenants = document.paths['/api/v1/tenants'].get;
    expect(listTenants.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
    expect(Object.keys(listTenants.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
  });
});
