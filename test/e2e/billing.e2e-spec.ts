import { DEMO_CUSTOMERS, DEMO_DOMAINS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { API_SCOPES } from '../../src/shared/interface/http/partner-api';
import { apiKeyClient, createApiKey, type PartnerApiClient, type Problem } from '../support/api-client';
import { csrfTokenOf, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO = { admin: `admin@${DEMO_DOMAINS.contoso}`, serviceAccount: `s365@${DEMO_DOMAINS.contoso}` };
const ADATUM = DEMO_CUSTOMERS.adatum.id;

// Billing end to end: the demo partner's licences imported from the local Microsoft, then profiles, the invoice
// preview, an approval and a frozen snapshot through the partner API and the pages.
describe('billing (e2e: API and pages)', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;
  let api: PartnerApiClient;
  let readOnly: PartnerApiClient;
  let e3: { skuId: string; microsoftProduct: string };

  const url = (path: string) => `${t.baseUrl}${path}`;
  const textOf = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, ' ');
  const period = new Date().toISOString().slice(0, 7);
  const billingAlerts = () =>
    t.query<{ sku_id: string }>(
      `select sku_id from alerts where organization_id = $1 and rule = 'sku-without-billing-profile' and resolved_at is null`,
      [organizationId],
    );

  beforeAll(async () => {
    t = await startTestApp();
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
    api = apiKeyClient(t, await createApiKey(t, browser, 'Billing system', API_SCOPES));
    readOnly = apiKeyClient(t, await createApiKey(t, browser, 'Billing reader', ['read:billing']));
    // The first reconciliation run, and billing's handling of it (the totals of the first computation).
    await eventually(async () => {
      const [{ n }] = await t.query<{ n: number }>('select count(*)::int as n from billing_tenant_totals where organization_id = $1', [
        organizationId,
      ]);
      expect(n).toBeGreaterThan(20);
    }, 180_000);
  }, 240_000);
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      console.log(
        t.logs
          .filter((l) => l.includes('"level":50'))
          .slice(0, 5)
          .join('\n'),
      );
    await t?.close();
  });

  it('lists every product as not mapped before any profile, never billed at 0', async () => {
    const { data, response } = await api.GET('/api/v1/billing/preview');
    expect(response.status).toBe(200);
    expect(data!.total).toBe('0.00');
    expect(data!.tenants.length).toBe(25);
    expect(data!.notMapped.length).toBeGreaterThan(3);
    e3 = data!.notMapped.find((p) => p.microsoftProduct === 'Microsoft 365 E3')!;
    expect(e3).toBeDefined();
    const adatum = await api.GET('/api/v1/billing/preview/{tenantId}', { params: { path: { tenantId: ADATUM } } });
    expect(adatum.data!.lines.every((l) => l.status === 'not-mapped' && l.amount === null)).toBe(true);
    // Before the partner prices anything, "not mapped" is the starting point, not an alert.
    await eventually(
      async () => expect(await t.query('select 1 from alert_evaluations where organization_id = $1', [organizationId])).toHaveLength(1),
      60_000,
    );
    expect(await billingAlerts()).toEqual([]);
  });

  it('maps a product through the API and prices each customer’s lines, with why', async () => {
    const created = await api.POST('/api/v1/billing/profiles', {
      body: { skuId: e3.skuId, productName: 'Managed Microsoft 365 E3', productCode: 'M365-E3', unitPrice: '36.00' },
    });
    expect(created.response.status).toBe(201);
    const adatum = (await api.GET('/api/v1/billing/preview/{tenantId}', { params: { path: { tenantId: ADATUM } } })).data!;
    const line = adatum.lines.find((l) => l.skuId === e3.skuId)!;
    expect(line).toMatchObject({
      status: 'billable',
      productName: 'Managed Microsoft 365 E3',
      unitPrice: '36.00',
      quantity: line.purchased,
    });
    expect(line.amount).toBe((line.purchased * 36).toFixed(2));
    expect(line.why).toContain(`${line.purchased} purchased seat`);
    // Mapping it was the decision: its lines are on the approved invoice, nothing waits.
    expect(line.approvedAmount).toBe(line.amount);
    expect((await api.GET('/api/v1/billing/approvals')).data!.items).toEqual([]);
    expect(adatum.lines.some((l) => l.status === 'not-mapped')).toBe(true);
    // Once it bills through Sync 365, each product still unpriced is an alert; the priced one is not.
    await eventually(async () => expect((await billingAlerts()).length).toBeGreaterThan(2), 60_000);
    expect((await billingAlerts()).map((a) => a.sku_id)).not.toContain(e3.skuId);
  });

  it('refuses bad profiles with RFC 7807 problems naming the field', async () => {
    const duplicate = await api.POST('/api/v1/billing/profiles', { body: { skuId: e3.skuId, productName: 'Again', unitPrice: '1.00' } });
    expect([duplicate.response.status, (duplicate.error as Problem).code]).toEqual([409, 'BILLING.PROFILE_ALREADY_EXISTS']);
    const badPrice = await api.POST('/api/v1/billing/profiles', {
      body: { skuId: e3.skuId, productName: 'E3', unitPrice: '12,50', termDuration: 'P1M' },
    });
    expect([badPrice.response.status, (badPrice.error as Problem).code, (badPrice.error as Problem).field]).toEqual([
      422,
      'BILLING.INVALID_INPUT',
      'unitPrice',
    ]);
    expect(badPrice.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const floatPrice = await api.POST('/api/v1/billing/profiles', {
      body: { skuId: e3.skuId, productName: 'E3', unitPrice: 12.5 as unknown as string },
    });
    expect([floatPrice.response.status, (floatPrice.error as Problem).field]).toEqual([400, 'unitPrice']);
    const forbidden = await readOnly.POST('/api/v1/billing/profiles', { body: { skuId: e3.skuId, productName: 'E3', unitPrice: '1.00' } });
    expect([forbidden.response.status, (forbidden.error as Problem).code]).toEqual([403, 'API.SCOPE_FORBIDDEN']);
  });

  it('queues the decrease a customer override causes, and approving it puts it on the invoice, audited', async () => {
    const override = await api.POST('/api/v1/billing/profiles', {
      body: { skuId: e3.skuId, tenantId: ADATUM, productName: 'Managed Microsoft 365 E3 (Adatum rate)', unitPrice: '30.00' },
    });
    expect(override.response.status).toBe(201);
    const { data } = await readOnly.GET('/api/v1/billing/approvals');
    expect(data!.items).toEqual([
      expect.objectContaining({ tenantId: ADATUM, kind: 'decrease', status: 'pending', companyName: 'Adatum Corporation' }),
    ]);
    const [approval] = data!.items;
    expect(approval.after!.unitPrice).toBe('30.00');

    const decided = await api.POST('/api/v1/billing/approvals/{approvalId}/approve', { params: { path: { approvalId: approval.id } } });
    expect(decided.data).toMatchObject({ status: 'approved', decidedBy: 'API key “Billing system”' });
    const again = await api.POST('/api/v1/billing/approvals/{approvalId}/reject', { params: { path: { approvalId: approval.id } } });
    expect([again.response.status, (again.error as Problem).code]).toEqual([404, 'BILLING.APPROVAL_NOT_FOUND']);
    const line = (await api.GET('/api/v1/billing/preview/{tenantId}', { params: { path: { tenantId: ADATUM } } })).data!.lines.find(
      (l) => l.skuId === e3.skuId,
    )!;
    expect([line.approvedAmount, line.change, line.pendingApprovalId]).toEqual([line.amount, '0.00', null]);
    const audit = await t.query<{ actor_name: string; subject: string }>(
      `select actor_name, subject from audit_entries where action = 'billing.change-approved'`,
    );
    expect(audit).toEqual([
      { actor_name: 'API key “Billing system”', subject: 'Adatum Corporation: Managed Microsoft 365 E3 (Adatum rate)' },
    ]);
  });

  it('computes every customer in the all-customers preview as in that customer’s own preview', async () => {
    // The all-customers preview reads licences set-based for the whole organization; one customer's preview reads
    // that customer's licences and how they are sold one by one: both must give the same invoice.
    const all = (await api.GET('/api/v1/billing/preview')).data!;
    const own = await Promise.all(
      all.tenants.map(
        async (t) => (await api.GET('/api/v1/billing/preview/{tenantId}', { params: { path: { tenantId: t.tenantId } } })).data!,
      ),
    );
    expect(all.tenants.map((t) => [t.tenantId, t.lines, t.notMapped, t.total, t.approvedTotal])).toEqual(
      own.map((p) => [p.tenantId, p.lines.length, p.lines.filter((l) => l.status === 'not-mapped').length, p.total, p.approvedTotal]),
    );
    // Priced lines, unmapped ones and seats sold by another partner (shown apart) are all among them.
    expect(own.some((p) => p.lines.some((l) => l.status === 'billable'))).toBe(true);
    expect(own.some((p) => p.apart.some((l) => l.status === 'not-sold-by-you'))).toBe(true);
  });

  it('freezes a month once and serves it as JSON, CSV and PDF', async () => {
    const first = await api.POST('/api/v1/billing/snapshots', { body: { period } });
    expect(first.response.status).toBe(201);
    await api.POST('/api/v1/billing/profiles', {
      body: { skuId: (await api.GET('/api/v1/billing/preview')).data!.notMapped[0].skuId, productName: 'Later', unitPrice: '5.00' },
    });
    const again = await api.POST('/api/v1/billing/snapshots', { body: { period } });
    expect(again.response.status).toBe(200);
    expect(again.data).toEqual(first.data);
    await expect(t.query('update billing_snapshots set total = 0 where organization_id = $1', [organizationId])).rejects.toThrow(/frozen/);

    const detail = (await readOnly.GET('/api/v1/billing/snapshots/{period}', { params: { path: { period } } })).data!;
    const adatumLine = detail.items.find((l) => l.tenantId === ADATUM && l.skuId === e3.skuId)!;
    expect(adatumLine).toMatchObject({ status: 'billable', unitPrice: '30.00', companyName: 'Adatum Corporation' });
    expect(detail.total).toBe(first.data!.total);

    const csv = await browser.get(url(`/billing/snapshots/${period}.csv`));
    expect(csv.status).toBe(200);
    expect(csv.html).toContain('Adatum Corporation');
    expect(csv.html).toContain('Managed Microsoft 365 E3 (Adatum rate)');
    const pdf = await fetch(url(`/billing/snapshots/${period}.pdf`), {
      headers: {
        cookie: Object.entries(browser.cookies(t.baseUrl))
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const missing = await readOnly.GET('/api/v1/billing/snapshots/{period}', { params: { path: { period: '2020-01' } } });
    expect([missing.response.status, (missing.error as Problem).code]).toEqual([404, 'BILLING.SNAPSHOT_NOT_FOUND']);
  });

  it('shows the preview, the customer’s lines and what is not mapped on the pages', async () => {
    const overview = await browser.get(url('/billing'));
    expect(overview.status).toBe(200);
    expect(textOf(overview.html)).toContain('Products not mapped');
    const tenant = textOf((await browser.get(url(`/billing/tenants/${ADATUM}`))).html);
    expect(tenant).toContain('Managed Microsoft 365 E3 (Adatum rate)');
    expect(tenant).toMatch(/USD [\d,]+\.\d{2}/);
    expect(tenant).toContain('customer price');
    const unknown = await browser.get(url('/billing/tenants/0f0e0d0c-0b0a-4909-8807-060504030201'));
    expect([unknown.status, textOf(unknown.html)]).toEqual([404, expect.stringContaining('not one of your customers')]);
  });

  it('keeps a refused profile form with the reason beside the field, and needs the CSRF token', async () => {
    const csrf = await csrfTokenOf(t, browser, '/settings/billing');
    const refused = await browser.post(url('/settings/billing/profiles'), {
      _csrf: csrf,
      skuId: e3.skuId,
      productName: 'Typed name',
      unitPrice: 'twelve',
      termDuration: 'P1M',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('value="Typed name"');
    expect(refused.html).toMatch(/class="field-error" id="profile-unitPrice[^"]*">The unit price must be a number/);
    const noToken = await browser.post(url('/settings/billing/profiles'), { skuId: e3.skuId, productName: 'x', unitPrice: '1' });
    expect(noToken.status).toBe(403);
    const settings = await browser.post(url('/settings/billing'), { _csrf: csrf, currency: 'EUR', approvalThreshold: '10.00' });
    expect(settings.status).toBe(303);
    expect((await api.GET('/api/v1/billing/settings')).data).toEqual({
      currency: 'EUR',
      autoApproveIncreases: false,
      approvalThreshold: '10.00',
    });
  });

  it('confirms a suggested company mapping on the page, audited', async () => {
    const page = await browser.get(url('/billing/mappings'));
    expect(textOf(page.html)).toContain('Named after the tenant');
    const csrf = await csrfTokenOf(t, browser, '/billing/mappings');
    expect(
      (await browser.post(url(`/billing/mappings/${ADATUM}`), { _csrf: csrf, accountName: 'Adatum Corp.', accountCode: 'ADA-001' })).status,
    ).toBe(303);
    const mapping = (await api.GET('/api/v1/billing/mappings')).data!.items.find((m) => m.tenantId === ADATUM);
    expect(mapping).toMatchObject({ accountName: 'Adatum Corp.', accountCode: 'ADA-001', status: 'confirmed' });
    expect(await t.query(`select subject from audit_entries where action = 'billing.mapping-confirmed'`)).toEqual([
      { subject: 'Adatum Corporation' },
    ]);
  });

  it('keeps another organization out', async () => {
    const other = await signInToDashboard(t, `admin@${DEMO_DOMAINS.tailspin}`);
    const otherApi = apiKeyClient(t, await createApiKey(t, other, 'Other', ['read:billing', 'write:billing']));
    const preview = await otherApi.GET('/api/v1/billing/preview/{tenantId}', { params: { path: { tenantId: ADATUM } } });
    expect([preview.response.status, (preview.error as Problem).code]).toEqual([404, 'BILLING.TENANT_NOT_FOUND']);
    expect((await otherApi.GET('/api/v1/billing/profiles')).data!.items).toEqual([]);
    expect((await otherApi.GET('/api/v1/billing/snapshots')).data!.items).toEqual([]);
  });
});
