import { AUTOTASK_DEMO_CREDENTIALS, startAutotaskEmulator, type RunningAutotaskEmulator } from '../../libs/autotask-emulator/src';
import { DEMO_CUSTOMERS, DEMO_DOMAINS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { API_SCOPES } from '../../src/shared/interface/http/partner-api';
import { apiKeyClient, createApiKey } from '../support/api-client';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { PsaSyncOptions } from '../../src/modules/psa-sync/application/psa-sync-options';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO = { admin: `admin@${DEMO_DOMAINS.contoso}`, serviceAccount: `s365@${DEMO_DOMAINS.contoso}` };
const ADATUM = DEMO_CUSTOMERS.adatum.id;
const NOD = DEMO_CUSTOMERS.nod.id;

interface RunJson {
  id: string;
  status: string;
  trigger: string;
  changedLines: number;
  customers?: {
    tenantId: string;
    companyName: string;
    status: string;
    lines: { product: string; before: number; after: number; outcome: string; writes: string[]; answer: string }[];
  }[];
}

// The same flow with Autotask: connect (zone discovery), map, dry run, sync; a seat change in Microsoft becomes one
// dated ContractServiceAdjustment after the next reconciliation, invoiced prorated; a dropped connection mid-write is
// retried without a second adjustment.
describe('PSA sync with Autotask (e2e: pages, API, jobs, local Microsoft and local Autotask)', () => {
  let t: TestApp;
  let at: RunningAutotaskEmulator;
  let browser: EmulatorBrowser;
  let organizationId: string;
  let apiKey: string;
  let readKey: string;

  const url = (path: string) => `${t.baseUrl}${path}`;
  const textOf = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, ' ');
  const psaApi = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: RunJson & { items?: RunJson[]; queued?: boolean } }> => {
    const response = await fetch(url(`/api/v1/billing/psa-syncs${path}`), {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as never };
  };
  const finishedRuns = async () => (await psaApi('GET', '')).json.items!.filter((r) => r.status !== 'running' && r.status !== 'dry-run');
  const adjustments = (since: number) =>
    at.journal().filter((e) => e.sequence > since && e.path === '/V1.0/ContractServiceAdjustments' && e.method === 'POST');
  const lastSeq = () => at.journal().at(-1)?.sequence ?? 0;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestApp();
    // The sync after a reconciliation waits 5 s here, not 20 (billing's recompute of 25 customers takes well under 1 s).
    t.app.get(PsaSyncOptions).afterReconciliationSeconds = 5;
    at = await startAutotaskEmulator({ port: 0 });
    browser = await signInToDashboard(t, CONTOSO.admin);
    expect((await grantConsent(t, browser, CONTOSO.serviceAccount)).status).toBe(303);
    [{ organization_id: organizationId }] = await t.query<{ organization_id: string }>(
      'select organization_id from delegated_admins where account_upn = $1',
      [CONTOSO.serviceAccount],
    );
    await t.query(
      `insert into reconciliation_schedules (organization_id, last_scheduled_on) values ($1, '2999-12-31') on conflict (organization_id) do update set last_scheduled_on = '2999-12-31'`,
      [organizationId],
    );
    apiKey = await createApiKey(t, browser, 'PSA tests', API_SCOPES);
    readKey = await createApiKey(t, browser, 'PSA reader', ['read:billing']);
    const api = apiKeyClient(t, apiKey);
    await eventually(async () => {
      const [{ n }] = await t.query<{ n: number }>('select count(*)::int as n from billing_tenant_totals where organization_id = $1', [
        organizationId,
      ]);
      expect(n).toBeGreaterThan(20);
    }, 180_000);
    // Billing profiles named like the Microsoft products (and so like the demo Autotask's services).
    for (const p of (await api.GET('/api/v1/billing/preview')).data!.notMapped) {
      expect(
        (await api.POST('/api/v1/billing/profiles', { body: { skuId: p.skuId, productName: p.microsoftProduct, unitPrice: '10.00' } }))
          .response.status,
      ).toBe(201);
    }
    await eventually(async () => {
      const [{ waiting }] = await t.query<{ waiting: number }>(
        `select count(*)::int as waiting from outbox_messages m where m.event_name = 'billing.preview-changed'
         and not exists (select 1 from processed_events p where p.event_id = m.id and p.handler = 'PsaSyncHandlers.onPreviewChanged')`,
      );
      expect(waiting).toBe(0);
    }, 60_000);
  }, 300_000);
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      console.log(
        t.logs
          .filter((l) => l.includes('"level":50') || l.includes('"level":40'))
          .slice(0, 10)
          .join('\n'),
      );
    await at?.close();
    await t?.close();
  });

  it('connects after finding the zone; a wrong secret is refused in plain words and nothing is stored', async () => {
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    const form = {
      _csrf: csrf,
      kind: 'autotask',
      userName: AUTOTASK_DEMO_CREDENTIALS.userName,
      integrationCode: AUTOTASK_DEMO_CREDENTIALS.integrationCode,
      discoveryUrl: at.discoveryUrl,
    };
    const refused = await browser.post(url('/settings/billing/psa/connect'), { ...form, secret: 'wrong-secret' });
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('Autotask did not accept the API user or secret');
    expect(await t.query('select 1 from psa_connections')).toEqual([]);
    expect((await browser.post(url('/settings/billing/psa/connect'), { ...form, secret: AUTOTASK_DEMO_CREDENTIALS.secret })).status).toBe(
      303,
    );
    const page = await browser.get(url('/settings/billing/psa'));
    expect(textOf(page.html)).toContain(`Connected to API user ${AUTOTASK_DEMO_CREDENTIALS.userName}`);
    expect(page.html).not.toContain(AUTOTASK_DEMO_CREDENTIALS.secret);
  });

  it('suggests contracts and services; confirmed, a dry run plans and a sync writes only differences', async () => {
    const page = await browser.get(url('/settings/billing/psa'));
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    const rows = [...page.html.matchAll(/<tr data-tenant="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, tenantId, html]) => ({
      tenantId,
      agreementId: /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? null,
    }));
    // Nod Publishers has no contract in the demo Autotask.
    expect(rows.find((r) => r.tenantId === NOD)!.agreementId).toBeNull();
    expect(rows.filter((r) => r.agreementId).length).toBe(24);
    const products = [...page.html.matchAll(/<tr data-product="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, key, html]) => ({
      key,
      id: /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? null,
    }));
    const suggestedProducts = products.filter((p) => p.id).length;
    expect(suggestedProducts).toBeGreaterThan(3);
    // One press confirms what was suggested (each mapping audited); the rest waits for a person.
    expect(textOf(page.html)).toContain(`Confirm all ${24 + suggestedProducts} suggestions`);
    const confirmed = await browser.post(url('/settings/billing/psa/confirm-suggested'), { _csrf: csrf });
    expect(confirmed.status).toBe(303);
    expect(await t.query('select 1 from psa_tenant_mappings')).toHaveLength(24);
    expect(await t.query('select 1 from psa_product_mappings')).toHaveLength(suggestedProducts);
    expect(await t.query(`select 1 from audit_entries where action = 'psa-sync.tenant-mapped'`)).toHaveLength(24);

    const before = lastSeq();
    const dry = await psaApi('POST', '', { dryRun: true });
    expect([dry.status, dry.json.status]).toEqual([201, 'dry-run']);
    expect(adjustments(before)).toEqual([]);
    const planned = dry.json.customers!.flatMap((c) => c.lines.filter((l) => l.writes.length > 0));

    const started = await psaApi('POST', '', {});
    expect([started.status, started.json.queued]).toEqual([202, true]);
    await eventually(async () => expect((await finishedRuns())[0]).toMatchObject({ id: started.json.id, status: 'completed' }), 60_000);
    // As planned: one adjustment per line that differed, nothing else.
    expect(adjustments(before)).toHaveLength(planned.length);
    expect(adjustments(before).every((e) => e.status === 200 || e.status === 201)).toBe(true);
    // billing.psa-sync-completed: the event is out and the webhooks module has handled it.
    await eventually(async () => {
      const handled = await t.query<{ run_id: string }>(
        `select m.payload->>'runId' as run_id from outbox_messages m join processed_events p on p.event_id = m.id and p.handler = 'WebhookJobs.onPsaSyncCompleted' where m.event_name = 'psa-sync.completed'`,
      );
      expect(handled.map((h) => h.run_id)).toContain(started.json.id);
    }, 30_000);
    const quiet = lastSeq();
    const again = await psaApi('POST', '', {});
    await eventually(
      async () => expect((await finishedRuns())[0]).toMatchObject({ id: again.json.id, status: 'completed', changedLines: 0 }),
      60_000,
    );
    expect(adjustments(quiet)).toEqual([]);
  });

  it('the API: read:billing lists runs but may not start one; errors are RFC 7807 problems', async () => {
    const asReader = (method: string, path: string, body?: unknown) =>
      fetch(url(`/api/v1/billing/psa-syncs${path}`), {
        method,
        headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const list = await asReader('GET', '?limit=5');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const forbidden = await asReader('POST', '', { dryRun: true });
    expect([forbidden.status, ((await forbidden.json()) as { code: string }).code]).toEqual([403, 'API.SCOPE_FORBIDDEN']);
    const missing = await asReader('GET', '/8d5f3c4e-2a1b-4c6d-9e8f-0a1b2c3d4e5f');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await missing.json()) as { code: string }).code).toBe('PSA.SYNC_RUN_NOT_FOUND');
    const bad = await psaApi('POST', '', { dryRun: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('a seat change in Microsoft becomes one dated adjustment after the reconciliation, invoiced prorated; a dropped connection writes it once', async () => {
    const before = lastSeq();
    const [sub] = await t.query<{ subscription_id: string; quantity: number }>(
      `select subscription_id, quantity from tenant_subscriptions where tenant_id = $1 and offer_name ilike '%E3%'`,
      [ADATUM],
    );
    await emulatorControl(t, `customers/${ADATUM}/subscriptions/${sub.subscription_id}`, { quantity: sub.quantity + 5 }, 'PATCH');
    at.addFault({ method: 'POST', path: '/V1.0/ContractServiceAdjustments', kind: 'reset', count: 1 });
    at.addFault({ method: 'POST', path: '/V1.0/ContractServiceUnits/query', status: 429, retryAfterSeconds: 1, count: 2 });
    const runsBefore = (await finishedRuns()).length;
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => {
      const runs = await finishedRuns();
      expect(runs.length).toBeGreaterThan(runsBefore);
      expect(runs[0]).toMatchObject({ trigger: 'reconciliation', status: 'completed', changedLines: 1 });
    }, 240_000);
    // Both faults were met (the connection dropped on the adjustment, the units query was throttled twice)…
    expect(await (await fetch(`${at.url}/__autotask/faults`)).json()).toEqual([]);
    // …and the retried run wrote the adjustment once.
    const landed = adjustments(before).filter((e) => e.itemId !== undefined);
    expect(landed).toHaveLength(1);
    expect(landed[0].body).toMatchObject({ unitChange: 5, effectiveDate: `${today()}T00:00:00Z` });
    const invoice = at.invoiceRun({ day: today() });
    const prorated = invoice.lines.filter((l) => l.kind === 'adjustment' && l.adjustmentID === landed[0].itemId);
    if (today().endsWith('-01'))
      expect(prorated).toEqual([]); // dated on the period's first day: no prorated line
    else expect(prorated).toEqual([expect.objectContaining({ units: 5, companyName: 'Adatum Corporation' })]);
  });
});
