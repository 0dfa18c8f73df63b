import { startConnectWiseEmulator, type RunningConnectWiseEmulator } from '../../libs/connectwise-psa-emulator/src';
import { DEMO_PRODUCTS } from '../../libs/connectwise-psa-emulator/src/scenario/demo.scenario';
import { DEMO_CUSTOMERS, DEMO_DOMAINS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { API_SCOPES } from '../../src/shared/interface/http/partner-api';
import { apiKeyClient, createApiKey, type PartnerApiClient } from '../support/api-client';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { PsaSyncOptions } from '../../src/modules/psa-sync/application/psa-sync-options';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO = { admin: `admin@${DEMO_DOMAINS.contoso}`, serviceAccount: `s365@${DEMO_DOMAINS.contoso}` };
const NOD = DEMO_CUSTOMERS.nod.id;

interface RunJson {
  id: string;
  status: string;
  trigger: string;
  changedLines: number;
  failedTenants: number;
  customers?: {
    tenantId: string;
    companyName: string;
    status: string;
    message: string;
    lines: { product: string; before: number; after: number; outcome: string; writes: string[]; answer: string }[];
  }[];
}

// PSA sync end to end against the local ConnectWise: a partner connects it in Settings → Billing → PSA, confirms the
// suggested mappings, runs a dry run and a sync; a seat change in Microsoft then reaches ConnectWise after the next
// reconciliation as exactly one changed addition (plus its prorated delta), and faults on the way write nothing twice.
describe('PSA sync with ConnectWise (e2e: pages, API, jobs, local Microsoft and local ConnectWise)', () => {
  let t: TestApp;
  let first: TestApp;
  let cw: RunningConnectWiseEmulator;
  let browser: EmulatorBrowser;
  let organizationId: string;
  let api: PartnerApiClient;
  let apiKey: string;

  const url = (path: string) => `${t.baseUrl}${path}`;
  const textOf = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, ' ');
  const psaApi = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: RunJson & { items?: RunJson[]; queued?: boolean; code?: string } }> => {
    const response = await fetch(url(`/api/v1/billing/psa-syncs${path}`), {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as never };
  };
  const finishedRuns = async () => (await psaApi('GET', '')).json.items!.filter((r) => r.status !== 'running' && r.status !== 'dry-run');
  const nodAgreementJournal = (since: number) => cw.journal({ since, appliedOnly: true }).filter((e) => e.resource === 'addition');
  const lastSeq = () => cw.journal().at(-1)?.seq ?? 0;

  beforeAll(async () => {
    t = first = await startTestApp();
    // The sync after a reconciliation waits 5 s here, not 20 (billing's recompute of 25 customers takes well under 1 s).
    t.app.get(PsaSyncOptions).afterReconciliationSeconds = 5;
    cw = await startConnectWiseEmulator({ port: 0 });
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
    api = apiKeyClient(t, apiKey);
    await eventually(async () => {
      const [{ n }] = await t.query<{ n: number }>('select count(*)::int as n from billing_tenant_totals where organization_id = $1', [
        organizationId,
      ]);
      expect(n).toBeGreaterThan(20);
    }, 180_000);
    // Billing profiles named and coded like the ConnectWise catalog, at its prices (what a partner would set up).
    const notMapped = (await api.GET('/api/v1/billing/preview')).data!.notMapped;
    for (const product of Object.values(DEMO_PRODUCTS)) {
      const sku = notMapped.find((p) => p.microsoftProduct === product.description);
      if (!sku) continue;
      const created = await api.POST('/api/v1/billing/profiles', {
        body: { skuId: sku.skuId, productName: product.description, productCode: product.identifier, unitPrice: product.price.toFixed(2) },
      });
      expect(created.response.status).toBe(201);
    }
    // Billing's preview-changed events from those profiles are handled before the PSA is connected (a handled one
    // starts no sync without a connection), so the runs below are the ones each test starts.
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
    await cw?.close();
    if (t !== first) await t?.close();
    await first?.close();
  });

  it('refuses wrong keys in plain words beside the field, stores nothing, and audits the attempt', async () => {
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    const credentials = cw.credentials!;
    const refused = await browser.post(url('/settings/billing/psa/connect'), {
      _csrf: csrf,
      kind: 'connectwise',
      siteUrl: cw.url,
      companyId: credentials.companyId,
      publicKey: credentials.publicKey,
      privateKey: 'wrong',
      clientId: credentials.clientId,
    });
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('ConnectWise did not accept the company ID, keys or client ID');
    expect(refused.html).not.toContain('wrong');
    expect(await t.query('select 1 from psa_connections')).toEqual([]);
    const limited = await browser.post(url('/settings/billing/psa/connect'), {
      _csrf: csrf,
      kind: 'connectwise',
      siteUrl: cw.url,
      companyId: credentials.companyId,
      publicKey: 'Sync365NoAgreementsKey',
      privateKey: 'Sync365NoAgreementsPrivate',
      clientId: credentials.clientId,
    });
    expect(limited.status).toBe(422);
    expect(textOf(limited.html)).toContain('Finance → Agreements');
    const noToken = await browser.post(url('/settings/billing/psa/connect'), { kind: 'connectwise', siteUrl: cw.url });
    expect(noToken.status).toBe(403);
    expect(await t.query(`select outcome from audit_entries where action = 'psa-sync.connection-refused'`)).toHaveLength(2);
  });

  it('connects with the demo keys: stored encrypted, never shown back, audited', async () => {
    const credentials = cw.credentials!;
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    const saved = await browser.post(url('/settings/billing/psa/connect'), {
      _csrf: csrf,
      kind: 'connectwise',
      siteUrl: cw.url,
      ...credentials,
    });
    expect(saved.status).toBe(303);
    const [row] = await t.query<{ kind: string; credentials_ciphertext: string }>(
      'select kind, credentials_ciphertext from psa_connections where organization_id = $1',
      [organizationId],
    );
    expect(row.kind).toBe('connectwise');
    expect(row.credentials_ciphertext).not.toContain(credentials.privateKey);
    const page = await browser.get(url('/settings/billing/psa'));
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(credentials.privateKey);
    expect(page.html).not.toContain(credentials.publicKey);
    expect(t.logs.some((l) => l.includes(credentials.privateKey))).toBe(false);
    expect(await t.query(`select subject from audit_entries where action = 'psa-sync.connected'`)).toHaveLength(1);
  });

  it('suggests each customer’s agreement and each product by name and code; a person confirms them', async () => {
    const page = await browser.get(url('/settings/billing/psa'));
    const rows = [...page.html.matchAll(/<tr data-tenant="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, tenantId, html]) => ({
      tenantId,
      agreementId: /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? null,
    }));
    expect(rows.length).toBe(25);
    const suggested = rows.filter((r) => r.agreementId);
    // Bellows College has no agreement in ConnectWise: no suggestion, someone would have to create one first.
    expect(suggested.length).toBe(24);
    expect(rows.find((r) => r.tenantId === NOD)!.agreementId).not.toBeNull();
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    for (const row of suggested)
      expect(
        (await browser.post(url(`/settings/billing/psa/tenants/${row.tenantId}`), { _csrf: csrf, agreementId: row.agreementId! })).status,
      ).toBe(303);
    const products = [...page.html.matchAll(/<tr data-product="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, key, html]) => ({
      key,
      psaProductId: /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? null,
    }));
    expect(products.length).toBeGreaterThan(3);
    expect(products.every((p) => p.psaProductId)).toBe(true);
    for (const p of products)
      expect(
        (await browser.post(url('/settings/billing/psa/products'), { _csrf: csrf, productKey: p.key, psaProductId: p.psaProductId! }))
          .status,
      ).toBe(303);
    const bad = await browser.post(url(`/settings/billing/psa/tenants/${NOD}`), { _csrf: csrf, agreementId: '999999' });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('has no active agreement with this id');
    expect(await t.query(`select 1 from audit_entries where action = 'psa-sync.tenant-mapped'`)).toHaveLength(24);
  });

  it('a dry run shows what the next sync would write, and sends nothing', async () => {
    const before = lastSeq();
    const { status, json } = await psaApi('POST', '', { dryRun: true });
    expect(status).toBe(201);
    expect(json.status).toBe('dry-run');
    const nod = json.customers!.find((c) => c.tenantId === NOD)!;
    const standard = nod.lines.find((l) => l.product.includes('M365-BUS-STD'))!;
    expect(standard).toMatchObject({ before: 20, after: 22, outcome: 'increase' });
    expect(standard.writes).toEqual([
      expect.stringMatching(/^Add prorated addition: \+2 from /),
      expect.stringMatching(/^Change addition \d+: quantity 22$/),
    ]);
    expect(cw.journal({ since: before })).toEqual([]);
    const page = await browser.get(url(`/billing/psa-syncs/${json.id}`));
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Nothing was sent: this is what the next sync would write');
    expect(textOf(page.html)).toContain('Nod Publishers');
  });

  it('Sync now writes only the differences through a job; the history shows before → after and ConnectWise’s answer', async () => {
    const before = lastSeq();
    const started = await psaApi('POST', '', {});
    expect([started.status, started.json.queued]).toEqual([202, true]);
    await eventually(async () => expect((await finishedRuns()).length).toBe(1), 60_000);
    const [run] = await finishedRuns();
    expect(run).toMatchObject({ id: started.json.id, trigger: 'sync-now', status: 'completed' });
    const detail = (await psaApi('GET', `/${run.id}`)).json;
    const failed = detail.customers!.filter((c) => c.status === 'failed');
    expect(failed).toEqual([]);
    const written = nodAgreementJournal(before);
    const changedTenants = detail.customers!.filter((c) => c.status === 'synced').map((c) => c.companyName);
    expect(changedTenants).toContain('Nod Publishers');
    // Nothing already right was written: every write belongs to a line that differed.
    expect(written.length).toBe(detail.customers!.flatMap((c) => c.lines).reduce((n, l) => n + l.writes.length, 0));
    const nod = detail.customers!.find((c) => c.tenantId === NOD)!.lines.find((l) => l.product.includes('M365-BUS-STD'))!;
    expect(nod.answer).toMatch(/Prorated addition \d+ created.*Addition \d+ now 22/);
    const history = await browser.get(url('/billing/psa-syncs'));
    expect(textOf(history.html)).toContain('Sync now API key “PSA tests” Completed');

    // A second sync finds everything right: no write at all.
    const quiet = lastSeq();
    await psaApi('POST', '', {});
    await eventually(async () => expect((await finishedRuns()).length).toBe(2), 60_000);
    expect(nodAgreementJournal(quiet)).toEqual([]);
  });

  it('a seat change in Microsoft reaches ConnectWise after the reconciliation as exactly one changed addition, invoiced prorated', async () => {
    const before = lastSeq();
    const [sub] = await t.query<{ subscription_id: string; quantity: number }>(
      `select subscription_id, quantity from tenant_subscriptions where tenant_id = $1 and offer_name ilike '%business standard%'`,
      [NOD],
    );
    await emulatorControl(t, `customers/${NOD}/subscriptions/${sub.subscription_id}`, { quantity: 25 }, 'PATCH');
    const runsBefore = (await finishedRuns()).length;
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => {
      const runs = await finishedRuns();
      expect(runs.length).toBeGreaterThan(runsBefore);
      expect(runs[0].trigger).toBe('reconciliation');
      expect(runs[0].changedLines).toBe(1);
    }, 180_000);
    const written = nodAgreementJournal(before);
    expect(written.map((e) => e.method)).toEqual(['POST', 'PATCH']);
    expect(written[1].request).toEqual([{ op: 'replace', path: 'quantity', value: 25 }]);
    expect(written[0].request).toMatchObject({ quantity: 3, serialNumber: expect.stringMatching(/^S365 /) });
    const agreementId = written[1].agreementId!;
    const today = new Date();
    const nextMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    const invoices = cw.runInvoices({ invoiceDate: nextMonth, agreementIds: [agreementId] });
    const lines = invoices.invoices.flatMap((i) => i.lines);
    expect(lines.find((l) => l.kind === 'recurring' && l.product.identifier === 'M365-BUS-STD')).toMatchObject({ quantity: 25 });
    expect(lines.some((l) => l.kind !== 'recurring' && l.quantity === 3)).toBe(true);
    const page = await browser.get(url('/billing/psa-syncs'));
    expect(textOf(page.html)).toContain('After the reconciliation');
  });

  it('a 429 storm and a 500 mid-sync: the retried run completes and writes nothing twice', async () => {
    const before = lastSeq();
    const [sub] = await t.query<{ subscription_id: string }>(
      `select subscription_id from tenant_subscriptions where tenant_id = $1 and offer_name ilike '%business standard%'`,
      [NOD],
    );
    await emulatorControl(t, `customers/${NOD}/subscriptions/${sub.subscription_id}`, { quantity: 27 }, 'PATCH');
    const runsBefore = (await finishedRuns()).length;
    cw.addFault({ method: 'GET', path: '/finance/agreements/*/additions', status: 429, retryAfterSeconds: 1, count: 3 });
    cw.addFault({ method: 'PATCH', path: '/finance/agreements/*/additions/*', status: 500, count: 1 });
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => {
      const runs = await finishedRuns();
      expect(runs.length).toBeGreaterThan(runsBefore);
      expect(runs[0]).toMatchObject({ status: 'completed', changedLines: 1 });
    }, 240_000);
    const all = cw.journal({ since: before }).filter((e) => e.resource === 'addition');
    expect(all.filter((e) => e.outcome === 'faulted').map((e) => e.method)).toContain('PATCH');
    const applied = all.filter((e) => e.outcome === 'applied');
    // One delta (found again by its serial number on the retry) and one quantity change.
    expect(applied.map((e) => e.method)).toEqual(['POST', 'PATCH']);
    expect(applied[0].request).toMatchObject({ quantity: 2 });
    expect(applied[1].request).toEqual([{ op: 'replace', path: 'quantity', value: 27 }]);
  });

  it('kill -9 mid-sync: the restarted app finishes the run and writes nothing twice', async () => {
    const before = lastSeq();
    const [sub] = await t.query<{ subscription_id: string }>(
      `select subscription_id from tenant_subscriptions where tenant_id = $1 and offer_name ilike '%business standard%'`,
      [NOD],
    );
    await emulatorControl(t, `customers/${NOD}/subscriptions/${sub.subscription_id}`, { quantity: 30 }, 'PATCH');
    // The quantity change is slow, so the process dies between the delta addition and it.
    cw.addFault({ method: 'PATCH', path: '/finance/agreements/*/additions/*', kind: 'latency', latencyMs: 3000, count: 1 });
    const runsBefore = (await finishedRuns()).length;
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => expect(nodAgreementJournal(before).map((e) => e.method)).toEqual(['POST']), 180_000);
    const shared = { database: t.database, emulator: t.emulator, baseUrl: t.baseUrl, config: t.config };
    await t.crash();
    t = await startTestApp({ sharing: shared });
    // The sync after a reconciliation waits 5 s here, not 20 (billing's recompute of 25 customers takes well under 1 s).
    t.app.get(PsaSyncOptions).afterReconciliationSeconds = 5;
    await eventually(async () => {
      const runs = await finishedRuns();
      expect(runs.length).toBeGreaterThan(runsBefore);
      expect(runs[0]).toMatchObject({ trigger: 'reconciliation', status: 'completed' });
    }, 150_000);
    const applied = nodAgreementJournal(before);
    expect(applied.map((e) => e.method)).toEqual(['POST', 'PATCH']);
    expect(applied[0].request).toMatchObject({ quantity: 3 });
    expect(applied[1].request).toEqual([{ op: 'replace', path: 'quantity', value: 30 }]);
    browser = await signInToDashboard(t, CONTOSO.admin);
  }, 400_000);

  it('a refusal fails only that customer, with ConnectWise’s words, as an alert; the next good sync resolves it', async () => {
    const before = lastSeq();
    const [sub] = await t.query<{ subscription_id: string }>(
      `select subscription_id from tenant_subscriptions where tenant_id = $1 and offer_name ilike '%business standard%'`,
      [NOD],
    );
    await emulatorControl(t, `customers/${NOD}/subscriptions/${sub.subscription_id}`, { quantity: 31 }, 'PATCH');
    cw.addFault({ method: 'PATCH', path: '/finance/agreements/*/additions/*', status: 400, count: 1 });
    const runsBefore = (await finishedRuns()).length;
    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => {
      const runs = await finishedRuns();
      expect(runs.length).toBeGreaterThan(runsBefore);
      expect(runs[0]).toMatchObject({ status: 'failed', failedTenants: 1 });
    }, 180_000);
    const alerts = () =>
      t.query<{ title: string; resolved_at: Date | null }>(
        `select title, resolved_at from alerts where rule = 'psa-sync-failed' and tenant_id = $1`,
        [NOD],
      );
    await eventually(
      async () =>
        expect(await alerts()).toEqual([
          expect.objectContaining({
            resolved_at: null,
            title: expect.stringContaining('ConnectWise PSA refused the sync of Nod Publishers'),
          }),
        ]),
      60_000,
    );

    // Sync now, with ConnectWise answering again: the quantity change lands once, and the alert resolves.
    expect((await psaApi('POST', '', {})).status).toBe(202);
    await eventually(async () => expect((await finishedRuns())[0]).toMatchObject({ trigger: 'sync-now', status: 'completed' }), 120_000);
    const applied = nodAgreementJournal(before);
    expect(applied.map((e) => e.method)).toEqual(['POST', 'PATCH']);
    expect(applied[1].request).toEqual([{ op: 'replace', path: 'quantity', value: 31 }]);
    await eventually(async () => expect(await alerts()).toEqual([expect.objectContaining({ resolved_at: expect.any(Date) })]), 60_000);
  }, 300_000);

  it('disconnecting removes the credentials and mappings, keeps the history, and is audited', async () => {
    const csrf = await csrfTokenOf(t, browser, '/settings/billing/psa');
    expect((await browser.post(url('/settings/billing/psa/disconnect'), { _csrf: csrf })).status).toBe(303);
    expect(await t.query('select 1 from psa_connections')).toEqual([]);
    expect(await t.query('select 1 from psa_tenant_mappings')).toEqual([]);
    expect((await t.query('select 1 from psa_sync_runs')).length).toBeGreaterThan(2);
    expect(await t.query(`select 1 from audit_entries where action = 'psa-sync.disconnected'`)).toHaveLength(1);
    const refused = await psaApi('POST', '', {});
    expect([refused.status, refused.json.code]).toEqual([409, 'PSA.NOT_CONNECTED_CONFLICT']);
  });
});
