import { randomUUID } from 'node:crypto';
import { DEMO_CUSTOMERS, DEMO_QUIRKS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { API_SCOPES, type ApiScope } from '../../src/shared/interface/http/partner-api';
import { ShiftedClock } from '../../src/shared/testing/fakes';
import { apiKeyClient, createApiKey, sessionClient, type PartnerApiClient, type Problem, type QueryOf } from '../support/api-client';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const CONTOSO = { admin: 'admin@contoso-partners.example', serviceAccount: 's365@contoso-partners.example' };
const TAILSPIN = { admin: 'admin@tailspin-distribution.example', serviceAccount: 's365@tailspin-distribution.example' };
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const UNKNOWN = '0f0e0d0c-0b0a-4909-8807-060504030201';

interface Organization {
  organizationId: string;
  delegatedAdminId: string;
  browser: EmulatorBrowser;
  // An API key with every scope, and the signed-in session.
  key: PartnerApiClient;
  session: PartnerApiClient;
}

interface Page<T> {
  data?: { items: T[]; nextCursor: string | null };
  error?: unknown;
  response: Response;
}

describe('the partner API /api/v1 (e2e through a client typed from its OpenAPI document)', () => {
  let t: TestApp;
  const clock = new ShiftedClock();
  let contoso: Organization;
  let tailspin: Organization;
  // Contoso keys with one scope each.
  const only = {} as Record<ApiScope, PartnerApiClient>;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    contoso = await connect(CONTOSO);
    tailspin = await connect(TAILSPIN);
    // The first import after consent becomes each organization's first reconciliation run.
    await runsOf(contoso, 1);
    await runsOf(tailspin, 1);
    for (const scope of API_SCOPES) only[scope] = apiKeyClient(t, await createApiKey(t, contoso.browser, `Only ${scope}`, [scope]));
  }, 240_000);
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      console.log(
        t.logs
          .filter((l) => l.includes('"level":50') || l.includes('"level":40'))
          .slice(0, 10)
          .join('\n'),
      );
    await t?.close();
  });

  // Signs in as the organization's admin, connects its Partner Center service account and creates a key.
  async function connect(people: { admin: string; serviceAccount: string }): Promise<Organization> {
    const browser = await signInToDashboard(t, people.admin);
    expect((await grantConsent(t, browser, people.serviceAccount)).status).toBe(303);
    const [admin] = await t.query<{ id: string; organization_id: string }>(
      'select id, organization_id from delegated_admins where account_upn = $1',
      [people.serviceAccount],
    );
    // The daily schedule stays out of the way: runs here start when a test asks for one (the clock moves a month below).
    await t.query(
      `insert into reconciliation_schedules (organization_id, last_scheduled_on) values ($1, '2999-12-31') on conflict (organization_id) do update set last_scheduled_on = '2999-12-31'`,
      [admin.organization_id],
    );
    const key = apiKeyClient(t, await createApiKey(t, browser, 'Everything', API_SCOPES));
    return { organizationId: admin.organization_id, delegatedAdminId: admin.id, browser, key, session: sessionClient(t, browser) };
  }

  async function runsOf(organization: Organization, count: number): Promise<void> {
    await eventually(async () => {
      const [{ n }] = await t.query<{ n: number }>('select count(*)::int as n from reconciliation_runs where organization_id = $1', [
        organization.organizationId,
      ]);
      expect(n).toBe(count);
      // (From the database: polling through the API would spend the key's rate limit.)
      const [{ running }] = await t.query<{ running: number }>(
        `select count(*)::int as running from import_runs where organization_id = $1 and status in ('listing', 'reading')`,
        [organization.organizationId],
      );
      expect(running).toBe(0);
    }, 150_000);
  }

  // Every page of a list, following nextCursor; `between` runs after the first page (a write while paging).
  async function allPages<T>(
    page: (cursor: string | undefined) => Promise<Page<T>>,
    between?: () => Promise<unknown>,
  ): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data, response, error } = await page(cursor);
      expect([response.status, error]).toEqual([200, undefined]);
      items.push(...data!.items);
      cursor = data!.nextCursor ?? undefined;
      if (pages++ === 0) await between?.();
    } while (cursor);
    return { items, pages };
  }

  async function expectProblem(
    call: Promise<{ error?: unknown; response: Response }>,
    status: number,
    code: string,
    field?: string,
  ): Promise<Problem> {
    const { error, response } = await call;
    const problem = error as Problem;
    expect([response.status, problem?.code, problem?.field]).toEqual([status, code, field]);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem).toMatchObject({
      status,
      type: `urn:sync365:problem:${code.toLowerCase()}`,
      instance: expect.stringMatching(/^\/api\/v1\//),
      detail: expect.any(String),
    });
    return problem;
  }

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);

  describe('reads', () => {
    it('lists the delegated admins with their status, and each one alone (API key and session alike)', async () => {
      const { data, response } = await contoso.key.GET('/api/v1/delegated-admins');
      expect(response.status).toBe(200);
      expect(data!.items).toEqual([
        expect.objectContaining({
          id: contoso.delegatedAdminId,
          accountUpn: CONTOSO.serviceAccount,
          status: 'active',
          statusReason: null,
          directCsp: false,
          grantedAt: expect.any(String),
        }),
      ]);
      const one = await contoso.key.GET('/api/v1/delegated-admins/{delegatedAdminId}', {
        params: { path: { delegatedAdminId: contoso.delegatedAdminId } },
      });
      expect(one.data).toEqual(data!.items[0]);
      expect((await contoso.session.GET('/api/v1/delegated-admins')).data).toEqual(data);
      // Never a token, encrypted or not.
      expect(JSON.stringify(data)).not.toMatch(/token|secret/i);
      await expectProblem(
        contoso.key.GET('/api/v1/delegated-admins/{delegatedAdminId}', { params: { path: { delegatedAdminId: UNKNOWN } } }),
        404,
        'CONSENT.DELEGATED_ADMIN_NOT_FOUND',
      );
    });

    it('lists the customer tenants by company name in keyset pages, filtered and searched, and shows one', async () => {
      const { items, pages } = await allPages((cursor) => contoso.key.GET('/api/v1/tenants', { params: { query: { limit: 10, cursor } } }));
      expect(pages).toBe(3);
      const expected = await db<{ tenant_id: string }>(
        `select tenant_id from customer_tenants where organization_id = $1 and status = 'active' order by lower(company_name), tenant_id`,
        [contoso.organizationId],
      );
      expect(items.map((x) => x.tenantId)).toEqual(expected.map((r) => r.tenant_id));
      expect(items).toHaveLength(DEMO_QUIRKS.contoso.customers);
      expect(items.every((x) => x.status === 'active' && x.lastError === null)).toBe(true);
      // Licences Partner Center will not list without a licence-reading GDAP role are unknown (null), never 0, and say why.
      const unreadable: string[] = [...DEMO_QUIRKS.contoso.licencesUnreadable].map(id);
      expect(
        items
          .filter((x) => x.purchased === null)
          .map((x) => x.tenantId)
          .sort(),
      ).toEqual([...unreadable].sort());
      expect(
        items
          .filter((x) => !x.licencesReadable)
          .map((x) => [x.tenantId, x.licencesUnreadableReason?.startsWith('GDAP role missing')])
          .sort(),
      ).toEqual(unreadable.map((t) => [t, true]).sort());

      const list = async (query: QueryOf<'/api/v1/tenants'>) =>
        (await contoso.key.GET('/api/v1/tenants', { params: { query: { limit: 200, ...query } } })).data!.items;
      const { gdap } = DEMO_QUIRKS.contoso;
      expect((await list({ gdap: 'missing_roles' })).map((x) => x.tenantId).sort()).toEqual(
        [...gdap.withoutApplicationAdministrator, ...gdap.withoutLicenceReadingRole].map(id).sort(),
      );
      expect((await list({ gdap: 'expired' })).map((x) => x.tenantId)).toEqual(gdap.expired.map(id));
      expect((await list({ gdap: 'no_gdap' })).map((x) => x.tenantId)).toEqual(gdap.absent.map(id));
      const unassigned = await list({ unassigned: true });
      expect(unassigned.length).toBeGreaterThan(0);
      expect(unassigned.map((x) => x.tenantId).sort()).toEqual(
        items
          .filter((x) => x.hasUnassignedSeats)
          .map((x) => x.tenantId)
          .sort(),
      );
      expect(await list({ failed: true })).toEqual([]);
      // Over-assigned: more seats assigned than purchased, never a tenant whose licences are not readable.
      const { overAssigned } = DEMO_QUIRKS.contoso;
      expect((await list({ overAssigned: true })).map((x) => [x.tenantId, x.overAssignedBy])).toEqual([
        [id(overAssigned.customer), overAssigned.consumed - overAssigned.prepaidEnabled],
      ]);
      expect(items.filter((x) => !x.licencesReadable).every((x) => x.overAssignedBy === null && x.unusedSeats === null)).toBe(true);
      expect((await list({ overAssigned: false })).length).toBe(DEMO_QUIRKS.contoso.customers);
      expect(await list({ removed: true })).toHaveLength(DEMO_QUIRKS.contoso.customers);
      expect((await list({ q: 'coho' })).map((x) => x.companyName)).toEqual(['Coho Winery']);
      expect((await list({ q: id('coho') })).map((x) => x.tenantId)).toEqual([id('coho')]);
      expect((await list({ q: 'coho', unassigned: false, failed: false })).length).toBe(1);

      const { data } = await contoso.key.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: id('coho') } } });
      expect(data).toMatchObject({
        tenantId: id('coho'),
        companyName: 'Coho Winery',
        delegatedAdminId: contoso.delegatedAdminId,
        gdapStatus: 'ok',
      });
      expect(data!.gdapRelationships.length).toBeGreaterThan(0);
      // The tenant id is case-insensitive, like Microsoft's.
      expect(
        (await contoso.key.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: id('coho').toUpperCase() } } })).data,
      ).toEqual(data);
      await expectProblem(
        contoso.key.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: UNKNOWN } } }),
        404,
        'TENANTS.CUSTOMER_NOT_FOUND',
      );
    });

    it('pages the tenants stably while tenants are added and changed between pages: none repeats, none that existed is skipped', async () => {
      const before = await db<{ tenant_id: string }>(
        `select tenant_id from customer_tenants where organization_id = $1 and status = 'active' order by lower(company_name), tenant_id`,
        [contoso.organizationId],
      );
      const early = randomUUID();
      const late = randomUUID();
      const { items } = await allPages(
        (cursor) => contoso.key.GET('/api/v1/tenants', { params: { query: { limit: 10, cursor } } }),
        async () => {
          // One new customer sorts before the page just read, one after it; one not yet read changes.
          for (const [tenantId, name] of [
            [early, 'Aaa Newcomer'],
            [late, 'Zzz Newcomer'],
          ]) {
            await db(
              `insert into customer_tenants (id, organization_id, delegated_admin_id, tenant_id, company_name, domain, relationship, status, created_at, changed_at, listed_at)
               values (gen_random_uuid(), $1, $2, $3, $4, 'newcomer.example', 'Reseller', 'active', now(), now(), now())`,
              [contoso.organizationId, contoso.delegatedAdminId, tenantId, name],
            );
          }
          await db(
            `update customer_tenants set purchased = purchased + 1, changed_at = now() where organization_id = $1 and tenant_id = $2`,
            [contoso.organizationId, before[15].tenant_id],
          );
        },
      );
      try {
        const ids = items.map((x) => x.tenantId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.filter((x) => x !== late)).toEqual(before.map((r) => r.tenant_id));
        expect(ids.at(-1)).toBe(late);
        expect(ids).not.toContain(early);
      } finally {
        await db('delete from customer_tenants where tenant_id = any($1::uuid[])', [[early, late]]);
        await db(`update customer_tenants set purchased = purchased - 1 where organization_id = $1 and tenant_id = $2`, [
          contoso.organizationId,
          before[15].tenant_id,
        ]);
      }
    });

    it('lists licences and subscriptions per tenant and across tenants, filtered and paged', async () => {
      const { overAssigned } = DEMO_QUIRKS.contoso;
      const coho = (
        await contoso.key.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: id(overAssigned.customer) } } })
      ).data!.items;
      expect(coho.find((l) => l.skuPartNumber === overAssigned.skuPartNumber)).toMatchObject({
        tenantId: id('coho'),
        productName: 'Microsoft 365 Business Premium',
        purchased: overAssigned.prepaidEnabled,
        assigned: overAssigned.consumed,
        available: overAssigned.prepaidEnabled - overAssigned.consumed,
      });

      // Across tenants: every licence once, by tenant then SKU, with a write between pages.
      const { items: licences, pages } = await allPages(
        (cursor) => contoso.key.GET('/api/v1/licences', { params: { query: { limit: 7, cursor } } }),
        () => db('update tenant_licences set consumed_units = consumed_units where organization_id = $1', [contoso.organizationId]),
      );
      expect(pages).toBe(Math.ceil(DEMO_QUIRKS.contoso.subscribedSkusReadable / 7));
      const order = await db<{ tenant_id: string; sku_id: string }>(
        'select tenant_id, sku_id from tenant_licences where organization_id = $1 order by tenant_id, sku_id',
        [contoso.organizationId],
      );
      expect(licences.map((l) => `${l.tenantId}|${l.skuId}`)).toEqual(order.map((r) => `${r.tenant_id}|${r.sku_id}`));
      expect(licences).toHaveLength(DEMO_QUIRKS.contoso.subscribedSkusReadable);
      const ofCoho = (await contoso.key.GET('/api/v1/licences', { params: { query: { tenantId: id('coho') } } })).data!.items;
      expect(ofCoho.map((l) => l.skuId).sort()).toEqual(coho.map((l) => l.skuId).sort());
      const unassigned = (await contoso.key.GET('/api/v1/licences', { params: { query: { unassigned: true, limit: 200 } } })).data!.items;
      expect(unassigned.map((l) => `${l.tenantId}|${l.skuId}`)).toEqual(
        licences.filter((l) => l.purchased > l.assigned).map((l) => `${l.tenantId}|${l.skuId}`),
      );
      const spb = coho.find((l) => l.skuPartNumber === 'SPB')!.skuId;
      const bySku = (await contoso.key.GET('/api/v1/licences', { params: { query: { skuId: spb.toUpperCase(), limit: 200 } } })).data!
        .items;
      expect(bySku.map((l) => l.tenantId)).toEqual(
        licences.filter((l) => l.skuId.toLowerCase() === spb.toLowerCase()).map((l) => l.tenantId),
      );

      // Subscriptions, matched to the customers' directories.
      const { items: subscriptions } = await allPages((cursor) =>
        contoso.key.GET('/api/v1/subscriptions', { params: { query: { limit: 10, cursor } } }),
      );
      expect(subscriptions).toHaveLength(DEMO_QUIRKS.contoso.partnerCenterSubscriptions);
      expect(new Set(subscriptions.map((s) => s.id)).size).toBe(subscriptions.length);
      const cohoSubscriptions = (
        await contoso.key.GET('/api/v1/tenants/{tenantId}/subscriptions', { params: { path: { tenantId: id('coho') } } })
      ).data!.items;
      expect(cohoSubscriptions.length).toBeGreaterThan(0);
      for (const subscription of cohoSubscriptions) expect(subscriptions.find((s) => s.id === subscription.id)).toEqual(subscription);
      const matched = subscriptions.filter((s) => s.skuId !== null);
      expect(matched.length).toBeGreaterThan(0);
      expect(matched.every((s) => s.tenantUnits !== null)).toBe(true);
      const sku = matched[0].skuId!;
      const withSku = (await contoso.key.GET('/api/v1/subscriptions', { params: { query: { skuId: sku, limit: 200 } } })).data!.items;
      expect(withSku.map((s) => s.id)).toEqual(subscriptions.filter((s) => s.skuId === sku).map((s) => s.id));
      const suspended = (await contoso.key.GET('/api/v1/subscriptions', { params: { query: { status: 'suspended' } } })).data!.items;
      expect(suspended.map((s) => s.tenantId)).toContain(id(DEMO_QUIRKS.contoso.suspended.customer));
      expect(suspended.every((s) => s.status.toLowerCase() === 'suspended')).toBe(true);
      expect(
        (await contoso.key.GET('/api/v1/subscriptions', { params: { query: { tenantId: id('coho') } } }))
          .data!.items.map((s) => s.id)
          .sort(),
      ).toEqual(cohoSubscriptions.map((s) => s.id).sort());

      await expectProblem(
        contoso.key.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: UNKNOWN } } }),
        404,
        'LICENSING.TENANT_LICENCES_NOT_FOUND',
      );
      await expectProblem(
        contoso.key.GET('/api/v1/tenants/{tenantId}/subscriptions', { params: { path: { tenantId: UNKNOWN } } }),
        404,
        'LICENSING.TENANT_LICENCES_NOT_FOUND',
      );
    });

    it('shows the imports: the latest of each delegated admin, the progress, and one', async () => {
      const { data } = await contoso.key.GET('/api/v1/import-runs');
      expect(data!.items).toEqual([
        expect.objectContaining({
          delegatedAdminId: contoso.delegatedAdminId,
          status: 'completed',
          trigger: 'consent',
          total: DEMO_QUIRKS.contoso.customers,
        }),
      ]);
      const run = data!.items[0];
      expect((await contoso.key.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: run.id } } })).data).toEqual(run);
      expect((await contoso.key.GET('/api/v1/import-runs/current')).data).toMatchObject({ running: false, lastFinishedAt: run.finishedAt });
      await expectProblem(
        contoso.key.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: UNKNOWN } } }),
        404,
        'TENANTS.IMPORT_RUN_NOT_FOUND',
      );
    });
  });

  describe('the reconciliation', () => {
    it('shows the first run and what is wrong now, in keyset pages', async () => {
      const { data } = await contoso.key.GET('/api/v1/reconciliation-runs');
      expect(data).toEqual({
        items: [
          expect.objectContaining({
            trigger: 'consent',
            delegatedAdminId: contoso.delegatedAdminId,
            tenantsRead: DEMO_QUIRKS.contoso.customers,
            changes: 0,
          }),
        ],
        nextCursor: null,
      });
      const [run] = data!.items;
      expect((await contoso.key.GET('/api/v1/reconciliation-runs/{runId}', { params: { path: { runId: run.id } } })).data).toEqual(run);
      await expectProblem(
        contoso.key.GET('/api/v1/reconciliation-runs/{runId}', { params: { path: { runId: UNKNOWN } } }),
        404,
        'LICENSING.RUN_NOT_FOUND',
      );

      const { items: open } = await allPages((cursor) =>
        contoso.key.GET('/api/v1/discrepancies', { params: { query: { limit: 4, cursor } } }),
      );
      expect(open).toHaveLength(run.openDiscrepancies);
      expect(open.map((d) => d.key)).toEqual([...open.map((d) => d.key)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(open.every((d) => d.runId === run.id && d.silencedBy === null)).toBe(true);
      const overAssigned = (await contoso.key.GET('/api/v1/discrepancies', { params: { query: { kind: 'over-assigned' } } })).data!.items;
      expect(overAssigned.map((d) => d.tenantId)).toEqual([id(DEMO_QUIRKS.contoso.overAssigned.customer)]);
      expect(overAssigned[0]).toMatchObject({ companyName: 'Coho Winery', severity: expect.any(String), figures: expect.any(Object) });
      const ofCoho = (
        await contoso.key.GET('/api/v1/discrepancies', { params: { query: { tenantId: id('coho'), includeSilenced: true } } })
      ).data!.items;
      expect(ofCoho.map((d) => d.key)).toEqual(open.filter((d) => d.tenantId === id('coho')).map((d) => d.key));
      // No run has found a change yet.
      expect((await contoso.key.GET('/api/v1/changes', { params: { query: { since: '2000-01-01T00:00:00Z' } } })).data).toEqual({
        items: [],
        nextCursor: null,
      });
      expect((await contoso.key.GET('/api/v1/month-ends')).data).toEqual({ items: [] });
    });

    it('runs again on request, then lists the changes since a time or a run, and keeps the month-end snapshot', async () => {
      const [first] = (await contoso.key.GET('/api/v1/reconciliation-runs')).data!.items;
      const adatumE3 = (
        await db<{ subscription_id: string; offer_name: string }>(
          'select subscription_id, offer_name from tenant_subscriptions where tenant_id = $1',
          [id('adatum')],
        )
      ).find((s) => /E3/.test(s.offer_name))!.subscription_id;
      await emulatorControl(t, `customers/${id('adatum')}/subscriptions/${adatumE3}`, { quantity: 55 }, 'PATCH');
      // Into the next month: this run keeps the month of the first one as its month-end snapshot.
      const month = clock.now().toISOString().slice(0, 7);
      const now = clock.now();
      clock.offsetMs += Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 3) - now.getTime();
      const requestedFrom = clock.now();
      // A month on, every dashboard session has ended (24 hours after its sign-in at most): the admins sign in again.
      for (const [org, people] of [
        [contoso, CONTOSO],
        [tailspin, TAILSPIN],
      ] as const) {
        org.browser = await signInToDashboard(t, people.admin);
        org.session = sessionClient(t, org.browser);
      }

      const requested = await only['write:sync'].POST('/api/v1/reconciliation-runs');
      expect(requested.response.status).toBe(202);
      expect(Date.parse(requested.data!.requestedAt)).toBeGreaterThanOrEqual(requestedFrom.getTime());
      await runsOf(contoso, 2);

      const newest = await contoso.key.GET('/api/v1/reconciliation-runs', { params: { query: { limit: 1 } } });
      const [second] = newest.data!.items;
      expect(second).toMatchObject({ trigger: 'manual', changes: expect.any(Number) });
      const older = await contoso.key.GET('/api/v1/reconciliation-runs', {
        params: { query: { limit: 1, cursor: newest.data!.nextCursor! } },
      });
      expect(older.data).toEqual({ items: [first], nextCursor: null });

      const ofRun = (await contoso.key.GET('/api/v1/changes', { params: { query: { runId: second.id, limit: 200 } } })).data!.items;
      expect(ofRun).toHaveLength(second.changes);
      expect(ofRun.find((c) => c.kind === 'subscription.quantity-changed')).toMatchObject({
        tenantId: id('adatum'),
        subscriptionId: adatumE3,
        before: '50',
        after: '55',
        delta: 5,
        runId: second.id,
      });
      const sorted = [...ofRun].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || (a.id < b.id ? -1 : 1));
      expect(ofRun).toEqual(sorted);
      const { items: since, pages } = await allPages((cursor) =>
        contoso.key.GET('/api/v1/changes', { params: { query: { since: requestedFrom.toISOString(), limit: 1, cursor } } }),
      );
      expect(pages).toBe(ofRun.length);
      expect(since).toEqual(ofRun);
      expect(
        (
          await contoso.key.GET('/api/v1/changes', {
            params: { query: { since: requestedFrom.toISOString(), kind: 'subscription.quantity-changed' } },
          })
        ).data!.items.map((c) => c.subscriptionId),
      ).toEqual([adatumE3]);
      expect(
        (await contoso.key.GET('/api/v1/changes', { params: { query: { runId: second.id, tenantId: id('adatum'), limit: 200 } } })).data!
          .items,
      ).toEqual(ofRun.filter((c) => c.tenantId === id('adatum')));
      expect((await contoso.key.GET('/api/v1/changes', { params: { query: { runId: first.id } } })).data!.items).toEqual([]);
      await expectProblem(contoso.key.GET('/api/v1/changes', { params: { query: { runId: UNKNOWN } } }), 404, 'LICENSING.RUN_NOT_FOUND');

      const monthEnds = (await contoso.key.GET('/api/v1/month-ends')).data!.items;
      expect(monthEnds).toEqual([
        {
          month,
          frozenAt: expect.any(String),
          runs: [{ runId: first.id, delegatedAdminId: contoso.delegatedAdminId, finishedAt: first.finishedAt }],
        },
      ]);
      const { items: snapshot } = await allPages((cursor) =>
        contoso.key.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month }, query: { limit: 20, cursor } } }),
      );
      expect(snapshot).toHaveLength(DEMO_QUIRKS.contoso.subscribedSkusReadable);
      expect(snapshot.every((l) => l.runId === first.id && l.snapshotAt === first.finishedAt)).toBe(true);
      expect(new Set(snapshot.map((l) => `${l.tenantId}|${l.skuId}`)).size).toBe(snapshot.length);
      const cohoSnapshot = (
        await contoso.key.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month }, query: { tenantId: id('coho') } } })
      ).data!.items;
      expect(cohoSnapshot).toEqual(snapshot.filter((l) => l.tenantId === id('coho')));
      await expectProblem(
        contoso.key.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month: '2001-01' } } }),
        404,
        'LICENSING.MONTH_END_NOT_FOUND',
      );
    }, 180_000);
  });

  describe('writes', () => {
    it('starts imports with an API key, and with the session only when it sends the CSRF token', async () => {
      const started = await only['write:sync'].POST('/api/v1/import-runs', { body: { delegatedAdminId: contoso.delegatedAdminId } });
      expect(started.response.status).toBe(202);
      expect(started.data).toEqual({
        started: 1,
        items: [
          expect.objectContaining({
            delegatedAdminId: contoso.delegatedAdminId,
            trigger: 'manual',
            status: expect.stringMatching(/listing|reading/),
          }),
        ],
      });
      // Already running: the same import, none started.
      expect((await only['write:sync'].POST('/api/v1/import-runs', {})).data).toMatchObject({
        started: 0,
        items: [{ id: started.data!.items[0].id }],
      });
      await runsOf(contoso, 3);
      expect(
        (await contoso.key.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: started.data!.items[0].id } } })).data
          ?.status,
      ).toBe('completed');

      await expectProblem(contoso.session.POST('/api/v1/import-runs', {}), 403, 'WEB.CSRF_TOKEN_INVALID');
      const withToken = sessionClient(t, contoso.browser, await csrfTokenOf(t, contoso.browser));
      const bySession = await withToken.POST('/api/v1/import-runs', {});
      expect(bySession.response.status).toBe(202);
      expect(bySession.data!.started).toBe(1);
      await runsOf(contoso, 4);
      await expectProblem(
        only['write:sync'].POST('/api/v1/import-runs', { body: { delegatedAdminId: UNKNOWN } }),
        404,
        'TENANTS.IMPORT_RUN_NOT_FOUND',
      );
    }, 300_000);
  });

  it('answers every value it cannot use with a 400 problem naming the parameter', async () => {
    const api = contoso.key;
    const invalid = (call: Promise<{ error?: unknown; response: Response }>, field: string) =>
      expectProblem(call, 400, 'API.INVALID_PARAMETER', field);
    const licencesCursor = (await api.GET('/api/v1/licences', { params: { query: { limit: 1 } } })).data!.nextCursor!;
    const tenantsCursor = (await api.GET('/api/v1/tenants', { params: { query: { limit: 1 } } })).data!.nextCursor!;
    const tampered = Buffer.from(JSON.stringify(['tenants', 'coho winery', 'not-a-guid'])).toString('base64url');
    const asNumber = (value: string) => value as unknown as number;
    const asBoolean = (value: string) => value as unknown as boolean;

    const problem = await invalid(api.GET('/api/v1/tenants', { params: { query: { limit: 0 } } }), 'limit');
    expect(problem.detail).toBe('limit: must be a whole number from 1 to 200');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { limit: 201 } } }), 'limit');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { limit: asNumber('ten') } } }), 'limit');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { limit: [10, 20] as unknown as number } } }), 'limit');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { gdap: 'great' as 'ok' } } }), 'gdap');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { unassigned: asBoolean('yes') } } }), 'unassigned');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { q: 'x'.repeat(201) } } }), 'q');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { cursor: 'garbage!' } } }), 'cursor');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { cursor: tenantsCursor.slice(0, -3) } } }), 'cursor');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { cursor: tampered } } }), 'cursor');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { cursor: licencesCursor } } }), 'cursor');
    await invalid(api.GET('/api/v1/licences', { params: { query: { cursor: tenantsCursor } } }), 'cursor');
    await invalid(api.GET('/api/v1/tenants', { params: { query: { page: 2 } as never } }), 'page');
    await invalid(api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: 'coho' } } }), 'tenantId');
    await invalid(api.GET('/api/v1/delegated-admins', { params: { query: { limit: 5 } as never } }), 'limit');
    await invalid(
      api.GET('/api/v1/delegated-admins/{delegatedAdminId}', { params: { path: { delegatedAdminId: '42' } } }),
      'delegatedAdminId',
    );
    await invalid(api.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: 'latest' } } }), 'importRunId');
    await invalid(api.POST('/api/v1/import-runs', { body: { delegatedAdminId: 'all' } }), 'delegatedAdminId');
    await invalid(api.POST('/api/v1/import-runs', { body: { tenantId: id('coho') } as never }), 'tenantId');
    await invalid(api.POST('/api/v1/import-runs', { body: { delegatedAdminId: 7 } as never }), 'delegatedAdminId');
    await invalid(api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: 'coho' } } }), 'tenantId');
    await invalid(api.GET('/api/v1/licences', { params: { query: { skuId: 'SPB' } } }), 'skuId');
    await invalid(api.GET('/api/v1/licences', { params: { query: { tenantId: 'coho' } } }), 'tenantId');
    await invalid(api.GET('/api/v1/subscriptions', { params: { query: { status: 'happy' as 'active' } } }), 'status');
    await invalid(api.GET('/api/v1/reconciliation-runs', { params: { query: { limit: -1 } } }), 'limit');
    await invalid(api.GET('/api/v1/reconciliation-runs/{runId}', { params: { path: { runId: 'newest' } } }), 'runId');
    await invalid(api.GET('/api/v1/changes'), 'since');
    await invalid(api.GET('/api/v1/changes', { params: { query: { since: 'yesterday' } } }), 'since');
    await invalid(api.GET('/api/v1/changes', { params: { query: { since: '2026-11-01T00:00:00' } } }), 'since');
    await invalid(api.GET('/api/v1/changes', { params: { query: { since: '2026-11-01T00:00:00Z', runId: UNKNOWN } } }), 'runId');
    await invalid(api.GET('/api/v1/changes', { params: { query: { runId: 'last' } } }), 'runId');
    await invalid(
      api.GET('/api/v1/changes', { params: { query: { since: '2026-11-01T00:00:00Z', kind: 'sku.changed' as 'sku.added' } } }),
      'kind',
    );
    await invalid(api.GET('/api/v1/discrepancies', { params: { query: { includeSilenced: asBoolean('1') } } }), 'includeSilenced');
    await invalid(api.GET('/api/v1/discrepancies', { params: { query: { kind: 'everything' as 'over-assigned' } } }), 'kind');
    await invalid(api.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month: '2026-13' } } }), 'month');
    await invalid(
      api.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month: '2026-10' }, query: { cursor: tenantsCursor } } }),
      'cursor',
    );
    await invalid(api.POST('/api/v1/reconciliation-runs', { body: { now: true } } as never), 'now');
  });

  it('keeps two organizations apart through every endpoint, by API key and by session', async () => {
    // The ids of everything Contoso's API shows (SKU ids are Microsoft's product ids, the same for everyone): none
    // may appear in Tailspin's answers.
    const contosoRuns = (await contoso.key.GET('/api/v1/reconciliation-runs', { params: { query: { limit: 200 } } })).data!.items;
    const contosoImport = (await contoso.key.GET('/api/v1/import-runs')).data!.items[0];
    const [contosoMonth] = (await contoso.key.GET('/api/v1/month-ends')).data!.items;
    const contosoIds = new Set(
      [
        contoso.delegatedAdminId,
        contosoImport.id,
        ...contosoRuns.map((r) => r.id),
        ...(await contoso.key.GET('/api/v1/tenants', { params: { query: { limit: 200 } } })).data!.items.map((x) => x.tenantId),
        ...(await contoso.key.GET('/api/v1/subscriptions', { params: { query: { limit: 200 } } })).data!.items.map((s) => s.id),
        ...(await contoso.key.GET('/api/v1/changes', { params: { query: { since: '2000-01-01T00:00:00Z', limit: 200 } } })).data!.items.map(
          (c) => c.id,
        ),
      ].map((guid) => guid.toLowerCase()),
    );
    expect(contosoIds.size).toBeGreaterThan(DEMO_QUIRKS.contoso.customers + DEMO_QUIRKS.contoso.partnerCenterSubscriptions + 3);

    for (const api of [tailspin.key, tailspin.session]) {
      const answers: unknown[] = [];
      const ok = async <T>(call: Promise<{ data?: T; response: Response }>): Promise<T> => {
        const { data, response } = await call;
        expect(response.status).toBe(200);
        answers.push(data);
        return data!;
      };
      const tenants = await ok(api.GET('/api/v1/tenants', { params: { query: { limit: 200, removed: true } } }));
      expect(tenants.items).toHaveLength(DEMO_QUIRKS.tailspin.customers);
      const admins = await ok(api.GET('/api/v1/delegated-admins'));
      expect(admins.items.map((a) => a.id)).toEqual([tailspin.delegatedAdminId]);
      const imports = await ok(api.GET('/api/v1/import-runs'));
      expect(imports.items.map((r) => r.delegatedAdminId)).toEqual([tailspin.delegatedAdminId]);
      await ok(api.GET('/api/v1/import-runs/current'));
      const licences = await ok(api.GET('/api/v1/licences', { params: { query: { limit: 200 } } }));
      expect(licences.items.length).toBeGreaterThan(0);
      expect(licences.items.every((l) => tenants.items.some((x) => x.tenantId === l.tenantId))).toBe(true);
      await ok(api.GET('/api/v1/subscriptions', { params: { query: { limit: 200 } } }));
      await ok(api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: tenants.items[0].tenantId } } }));
      await ok(api.GET('/api/v1/tenants/{tenantId}/subscriptions', { params: { path: { tenantId: tenants.items[0].tenantId } } }));
      const runs = await ok(api.GET('/api/v1/reconciliation-runs', { params: { query: { limit: 200 } } }));
      expect(runs.items.map((r) => r.delegatedAdminId)).toEqual([tailspin.delegatedAdminId]);
      await ok(api.GET('/api/v1/changes', { params: { query: { since: '2000-01-01T00:00:00Z', limit: 200 } } }));
      await ok(api.GET('/api/v1/discrepancies', { params: { query: { limit: 200, includeSilenced: true } } }));
      expect(await ok(api.GET('/api/v1/month-ends'))).toEqual({ items: [] });
      // Contoso's filters name nothing of Tailspin's.
      for (const filtered of [
        await ok(api.GET('/api/v1/licences', { params: { query: { tenantId: id('coho') } } })),
        await ok(api.GET('/api/v1/subscriptions', { params: { query: { tenantId: id('coho') } } })),
        await ok(api.GET('/api/v1/discrepancies', { params: { query: { tenantId: id('coho') } } })),
        await ok(api.GET('/api/v1/changes', { params: { query: { since: '2000-01-01T00:00:00Z', tenantId: id('adatum') } } })),
      ])
        expect(filtered.items).toEqual([]);
      expect(
        answers.map((a) => JSON.stringify(a)).filter((json) => [...contosoIds].some((guid) => json.toLowerCase().includes(guid))),
      ).toEqual([]);

      // Contoso's things are not found, not forbidden: their existence is not confirmed either.
      await expectProblem(
        api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: id('coho') } } }),
        404,
        'TENANTS.CUSTOMER_NOT_FOUND',
      );
      await expectProblem(
        api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: id('coho') } } }),
        404,
        'LICENSING.TENANT_LICENCES_NOT_FOUND',
      );
      await expectProblem(
        api.GET('/api/v1/tenants/{tenantId}/subscriptions', { params: { path: { tenantId: id('coho') } } }),
        404,
        'LICENSING.TENANT_LICENCES_NOT_FOUND',
      );
      await expectProblem(
        api.GET('/api/v1/delegated-admins/{delegatedAdminId}', { params: { path: { delegatedAdminId: contoso.delegatedAdminId } } }),
        404,
        'CONSENT.DELEGATED_ADMIN_NOT_FOUND',
      );
      await expectProblem(
        api.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: contosoImport.id } } }),
        404,
        'TENANTS.IMPORT_RUN_NOT_FOUND',
      );
      await expectProblem(
        api.GET('/api/v1/reconciliation-runs/{runId}', { params: { path: { runId: contosoRuns[0].id } } }),
        404,
        'LICENSING.RUN_NOT_FOUND',
      );
      await expectProblem(api.GET('/api/v1/changes', { params: { query: { runId: contosoRuns[0].id } } }), 404, 'LICENSING.RUN_NOT_FOUND');
      await expectProblem(
        api.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month: contosoMonth.month } } }),
        404,
        'LICENSING.MONTH_END_NOT_FOUND',
      );
    }
    // Nor can Tailspin start Contoso's import.
    await expectProblem(
      tailspin.key.POST('/api/v1/import-runs', { body: { delegatedAdminId: contoso.delegatedAdminId } }),
      404,
      'TENANTS.IMPORT_RUN_NOT_FOUND',
    );
    // And the other way round.
    const tailspinTenant = (await tailspin.key.GET('/api/v1/tenants')).data!.items[0].tenantId;
    await expectProblem(
      contoso.key.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: tailspinTenant } } }),
      404,
      'TENANTS.CUSTOMER_NOT_FOUND',
    );
    await expectProblem(
      contoso.session.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId: tailspinTenant } } }),
      404,
      'LICENSING.TENANT_LICENCES_NOT_FOUND',
    );
  });

  it('lets each scope do exactly what it names, and nothing without a valid key', async () => {
    const tenantId = id('coho');
    const [run] = (await contoso.key.GET('/api/v1/reconciliation-runs', { params: { query: { limit: 1 } } })).data!.items;
    const [importRun] = (await contoso.key.GET('/api/v1/import-runs')).data!.items;
    const [monthEnd] = (await contoso.key.GET('/api/v1/month-ends')).data!.items;
    const operations: {
      name: string;
      scope: ApiScope;
      call: (api: PartnerApiClient) => Promise<{ response: Response; error?: unknown }>;
    }[] = [
      { name: 'listDelegatedAdmins', scope: 'read:tenants', call: (api) => api.GET('/api/v1/delegated-admins') },
      {
        name: 'getDelegatedAdmin',
        scope: 'read:tenants',
        call: (api) =>
          api.GET('/api/v1/delegated-admins/{delegatedAdminId}', { params: { path: { delegatedAdminId: contoso.delegatedAdminId } } }),
      },
      { name: 'listTenants', scope: 'read:tenants', call: (api) => api.GET('/api/v1/tenants') },
      {
        name: 'getTenant',
        scope: 'read:tenants',
        call: (api) => api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } } }),
      },
      { name: 'listImportRuns', scope: 'read:tenants', call: (api) => api.GET('/api/v1/import-runs') },
      { name: 'getImportProgress', scope: 'read:tenants', call: (api) => api.GET('/api/v1/import-runs/current') },
      {
        name: 'getImportRun',
        scope: 'read:tenants',
        call: (api) => api.GET('/api/v1/import-runs/{importRunId}', { params: { path: { importRunId: importRun.id } } }),
      },
      {
        name: 'listTenantLicences',
        scope: 'read:licenses',
        call: (api) => api.GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId } } }),
      },
      { name: 'listLicences', scope: 'read:licenses', call: (api) => api.GET('/api/v1/licences') },
      {
        name: 'listTenantSubscriptions',
        scope: 'read:licenses',
        call: (api) => api.GET('/api/v1/tenants/{tenantId}/subscriptions', { params: { path: { tenantId } } }),
      },
      { name: 'listSubscriptions', scope: 'read:licenses', call: (api) => api.GET('/api/v1/subscriptions') },
      { name: 'listReconciliationRuns', scope: 'read:reconciliation', call: (api) => api.GET('/api/v1/reconciliation-runs') },
      {
        name: 'getReconciliationRun',
        scope: 'read:reconciliation',
        call: (api) => api.GET('/api/v1/reconciliation-runs/{runId}', { params: { path: { runId: run.id } } }),
      },
      {
        name: 'listChanges',
        scope: 'read:reconciliation',
        call: (api) => api.GET('/api/v1/changes', { params: { query: { runId: run.id } } }),
      },
      { name: 'listDiscrepancies', scope: 'read:reconciliation', call: (api) => api.GET('/api/v1/discrepancies') },
      { name: 'listMonthEnds', scope: 'read:reconciliation', call: (api) => api.GET('/api/v1/month-ends') },
      {
        name: 'listMonthEndLicences',
        scope: 'read:reconciliation',
        call: (api) => api.GET('/api/v1/month-ends/{month}/licences', { params: { path: { month: monthEnd.month } } }),
      },
      // Writes last: each starts work.
      { name: 'startImports', scope: 'write:sync', call: (api) => api.POST('/api/v1/import-runs', {}) },
      { name: 'requestReconciliation', scope: 'write:sync', call: (api) => api.POST('/api/v1/reconciliation-runs') },
    ];
    const seen: string[] = [];
    for (const operation of operations) {
      for (const scope of API_SCOPES) {
        const { response, error } = await operation.call(only[scope]);
        const allowed = scope === operation.scope;
        seen.push(`${operation.name} with ${scope}: ${response.status}${allowed ? '' : ` ${(error as Problem | undefined)?.code}`}`);
        if (!allowed) expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      for (const api of [apiKeyClient(t, null), apiKeyClient(t, 's365_unknown_key'), apiKeyClient(t, 'not-even-a-key')]) {
        const { response, error } = await operation.call(api);
        const code = (error as Problem | undefined)?.code;
        seen.push(`${operation.name} unauthenticated: ${response.status} ${code}`);
      }
    }
    const expected = operations.flatMap((operation) => [
      ...API_SCOPES.map(
        (scope) =>
          `${operation.name} with ${scope}: ${scope === operation.scope ? (operation.scope === 'write:sync' ? 202 : 200) : '403 API.SCOPE_FORBIDDEN'}`,
      ),
      ...[1, 2, 3].map(() => `${operation.name} unauthenticated: 401 API.UNAUTHENTICATED`),
    ]);
    expect(seen).toEqual(expected);
    // The work the writes started ends before the app stops.
    await eventually(async () => expect(await db(`select 1 from import_runs where status in ('listing', 'reading')`)).toEqual([]), 120_000);
  }, 180_000);
});
