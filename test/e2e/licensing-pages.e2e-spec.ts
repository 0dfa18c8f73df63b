import { randomUUID } from 'node:crypto';
import { DEMO_DOMAINS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { csrfTokenOf, signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
const EXPLORATORY = '710779e8-3d4a-4c88-adb9-386c958d1fdf';

// The Licensing tab over HTTP: runs are seeded by SQL as the reconciliation's write side stores them (no
// Partner Center account is connected, so nothing else writes any).
describe('the Licensing tab (e2e)', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let other: EmulatorBrowser;
  let orgA: string;
  const adatum = randomUUID();
  const contoso = randomUUID();
  const october = randomUUID();
  const latest = randomUUID();
  const silencingExclusion = randomUUID();

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, `admin@${DEMO_DOMAINS.contoso}`);
    [{ id: orgA }] = await t.query<{ id: string }>('select id from organizations');
  });
  afterAll(() => t.close());

  const url = (path: string) => `${t.baseUrl}${path}`;
  const audit = (action: string) =>
    t.query<{ subject: string; detail: string; actor_name: string }>(
      'select subject, detail, actor_name from audit_entries where action = $1 order by occurred_at',
      [action],
    );
  const csrf = (path = '/licensing') => csrfTokenOf(t, browser, path);
  // The text of a page section, tags removed, for assertions about what a person reads.
  // Handlebars escapes = and & in attributes.
  const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const textOf = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');
  // The <section id="…"> with everything inside it, nested sections included.
  const section = (html: string, id: string) => {
    const start = html.search(new RegExp(`<section[^>]*id="${id}"`));
    if (start < 0) return '';
    const tags = /<section\b|<\/section>/g;
    tags.lastIndex = start;
    let depth = 0;
    for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
      depth += tag[0] === '</section>' ? -1 : 1;
      if (depth === 0) return html.slice(start, tags.lastIndex);
    }
    return html.slice(start);
  };

  async function seed() {
    const run = (id: string, trigger: string, startedAt: string, seconds: number, counts: [number, number, number, number]) =>
      t.query(
        `insert into reconciliation_runs (id, organization_id, delegated_admin_id, import_run_id, trigger, started_at, finished_at, tenants_read, tenants_failed, changes, open_discrepancies)
         values ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz + make_interval(secs => $7::int), $8, $9, $10, $11)`,
        [id, orgA, randomUUID(), randomUUID(), trigger, startedAt, seconds, ...counts],
      );
    const tenant = (runId: string, tenantId: string, name: string, failure: string | null = null) =>
      t.query(
        'insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read, failure_reason) values ($1, $2, $3, $4, $5, $6)',
        [runId, orgA, tenantId, name, failure === null, failure],
      );
    const licence = (
      runId: string,
      tenantId: string,
      skuId: string,
      part: string,
      name: string,
      purchased: number,
      assigned: number,
      soldByYou: boolean | null,
      free = false,
    ) =>
      t.query(
        `insert into licence_snapshots (run_id, organization_id, tenant_id, sku_id, sku_part_number, product_name, purchased, assigned, available, suspended, warning, partner_center_quantity, sold_by_you, free)
         values ($1, $2, $3, $4, $5, $6, $7::int, $8::int, $7::int - $8::int, 0, 0, $9, $10, $11)`,
        [runId, orgA, tenantId, skuId, part, name, purchased, assigned, soldByYou ? purchased : null, soldByYou, free],
      );
    const subscription = (runId: string, tenantId: string, id: string, quantity: number) =>
      t.query(
        `insert into subscription_snapshots (run_id, organization_id, tenant_id, subscription_id, sku_id, offer_name, quantity, tenant_units, billing_cycle, term_duration, status, auto_renew_enabled, is_trial, commitment_end_date)
         values ($1, $2, $3, $4, $5, 'Microsoft 365 E3', $6::int, $6::int, 'monthly', 'P1Y', 'active', true, false, '2027-03-01T00:00:00Z')`,
        [runId, orgA, tenantId, id, E3, quantity],
      );
    const discrepancy = (
      tenantId: string,
      kind: string,
      severity: string,
      title: string,
      skuId: string | null,
      actBy: string | null,
      silencedBy: string | null = null,
    ) =>
      t.query(
        // With the tenant's name in that run, as the reconciliation stores it.
        `insert into discrepancies (run_id, organization_id, key, kind, tenant_id, sku_id, severity, title, explanation, action, act_by, figures, silenced_by, company_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '{}'::jsonb, $12,
           (select company_name from reconciliation_tenants where run_id = $1 and tenant_id = $5))`,
        [
          latest,
          orgA,
          `${kind}|${tenantId}|${skuId ?? ''}|`,
          kind,
          tenantId,
          skuId,
          severity,
          title,
          `Why: ${title}.`,
          `Do: fix ${title}.`,
          actBy,
          silencedBy,
        ],
      );

    await run(october, 'schedule', '2026-10-31T02:00:00Z', 300, [2, 0, 0, 0]);
    await run(latest, 'manual', '2026-11-26T02:00:00Z', 245, [1, 1, 1, 2]);
    await tenant(october, adatum, 'Adatum Corporation');
    await tenant(october, contoso, 'Contoso Ltd');
    await tenant(latest, adatum, 'Adatum Corporation');
    await tenant(latest, contoso, 'Contoso Ltd', 'GDAP relationship expired');
    await licence(october, adatum, E3, 'SPE_E3', 'Microsoft 365 E3', 10, 8, true);
    await licence(october, adatum, EXPLORATORY, 'TEAMS_EXPLORATORY', 'Microsoft Teams Exploratory', 1000, 3, null, true);
    await licence(october, contoso, E3, 'SPE_E3', 'Microsoft 365 E3', 5, 5, true);
    await licence(latest, adatum, E3, 'SPE_E3', 'Microsoft 365 E3', 12, 9, true);
    await licence(latest, adatum, EXPLORATORY, 'TEAMS_EXPLORATORY', 'Microsoft Teams Exploratory', 1000, 3, null, true);
    await licence(latest, adatum, VISIO, 'VISIOCLIENT', 'Visio Plan 2', 2, 2, false);
    await licence(latest, contoso, E3, 'SPE_E3', 'Microsoft 365 E3', 5, 5, true);
    await subscription(october, adatum, 'sub-adatum-e3', 10);
    await subscription(latest, adatum, 'sub-adatum-e3', 12);
    await subscription(latest, contoso, 'sub-contoso-e3', 5);
    await t.query(
      `insert into licensing_changes (id, run_id, organization_id, tenant_id, kind, sku_id, before, after, delta, summary, occurred_at)
       values ($1, $2, $3, $4, 'sku.purchased-changed', $5, '10', '12', 2, 'Adatum Corporation: Microsoft 365 E3 purchased seats 10 → 12 (+2)', '2026-11-26T02:04:05Z')`,
      [randomUUID(), latest, orgA, adatum, E3],
    );
    await t.query(
      `insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name) values ($1, $2, $3, $4, 'ignore', null, 'Bought directly on purpose', '2026-11-20T10:00:00Z', 'Contoso Admin')`,
      [silencingExclusion, orgA, adatum, VISIO],
    );
    await discrepancy(adatum, 'unassigned-seats', 'medium', 'Microsoft 365 E3: 3 unused seats', E3, '2026-12-03T00:00:00Z');
    await discrepancy(contoso, 'tenant-unreadable', 'high', 'Could not read Contoso Ltd', null, null);
    await discrepancy(adatum, 'not-sold-by-you', 'low', 'Visio Plan 2 is not bought through you', VISIO, null, silencingExclusion);
    await t.query(
      `insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) select $1, delegated_admin_id, '2026-10', id, '2026-11-26T02:04:05Z' from reconciliation_runs where id = $2`,
      [orgA, october],
    );
  }

  describe('before any run', () => {
    it('says when the reconciliation will run, offers to run it now, and shows the Licensing tab between Customers and Settings', async () => {
      const page = await browser.get(url('/licensing'));
      expect(page.status).toBe(200);
      expect(page.html).toContain('>Run the reconciliation now</button>');
      expect(page.html).not.toContain('>Run now<');
      expect(textOf(section(page.html, 'no-runs'))).toContain('No reconciliation has run yet');
      expect(textOf(page.html)).toContain('It runs every day at 02:00 (UTC) and after each import');
      expect(page.forms.some((form) => form.action === url('/licensing/run') && form.fields._csrf)).toBe(true);
      const nav = /<nav class="tabs"[\s\S]*?<\/nav>/.exec(page.html)![0];
      expect([...nav.matchAll(/>(Customers|Licensing|Settings)</g)].map((m) => m[1])).toEqual(['Customers', 'Licensing', 'Settings']);
      expect(nav).toMatch(/is-active" href="\/licensing" aria-current="page"/);
    });

    // Nothing could run without a connected account: Run now says what is missing and where to fix it, and asks
    // for nothing (a run with an account: partner-api.e2e-spec.ts, reconciliation.e2e-spec.ts).
    it('Run now without a connected Partner Center account says what is missing, with a link to Delegated Admin, and starts nothing', async () => {
      const response = await browser.post(url('/licensing/run'), { _csrf: await csrf() });
      expect(response.status).toBe(303);
      expect(response.location).toBe(url('/licensing'));
      const page = (await browser.get(url('/licensing'))).html;
      expect(page).not.toContain('The reconciliation has started');
      expect(page).toMatch(
        /<div class="flash flash--error" role="alert">The reconciliation did not start: no Partner Center account is connected, so Sync 365 has no customers to read\. Open Customers → Delegated Admin and press Grant Partner Center Consent[^<]*<a href="\/customers\/delegated-admins">Go to Customers → Delegated Admin<\/a><\/div>/,
      );
      expect(
        await t.query(`select 1 from outbox_messages where event_name = 'licensing.reconciliation-due' and organization_id = $1`, [orgA]),
      ).toHaveLength(0);
    });

    it('Run now when every connected account needs re-consent names them and the fix; the API answers a problem with a stable code', async () => {
      const admin = randomUUID();
      await t.query(
        `insert into delegated_admins (id, organization_id, partner_tenant_id, partner_directory_name, account_object_id, account_upn, account_display_name, status, status_reason, mfa_verified, admin_agent_verified, granted_at, granted_by_name, created_at)
         values ($1, $2, $3, 'Contoso Partners', $4, 's365@contoso-partners.example', 'Sync 365 service', 'needs_reconsent', 'The refresh token expired.', true, true, now(), 'Contoso Admin', now())`,
        [admin, orgA, randomUUID(), randomUUID()],
      );
      try {
        await browser.post(url('/licensing/run'), { _csrf: await csrf() });
        const page = textOf((await browser.get(url('/licensing'))).html);
        expect(page).toContain(
          'The reconciliation did not start: Microsoft no longer accepts the consent of the only connected Partner Center account (s365@contoso-partners.example)',
        );
        expect(page).toContain('press Re-grant next to the account');
        const api = await fetch(url('/api/v1/reconciliation-runs'), {
          method: 'POST',
          headers: {
            cookie: Object.entries(browser.cookies(url('/')))
              .map(([name, value]) => `${name}=${value}`)
              .join('; '),
            'x-csrf-token': await csrf(),
            accept: 'application/json',
          },
        });
        expect(api.status).toBe(422);
        expect(api.headers.get('content-type')).toContain('application/problem+json');
        expect(await api.json()).toMatchObject({
          status: 422,
          code: 'LICENSING.CONNECTED_ACCOUNTS_NEED_RECONSENT',
          fix: expect.stringContaining('Customers → Delegated Admin'),
        });
        expect(
          await t.query(`select 1 from outbox_messages where event_name = 'licensing.reconciliation-due' and organization_id = $1`, [orgA]),
        ).toHaveLength(0);
      } finally {
        await t.query('delete from delegated_admins where id = $1', [admin]);
      }
    });

    it('refuses Run now without the form token', async () => {
      expect((await browser.post(url('/licensing/run'), {})).status).toBe(403);
    });
  });

  describe('after runs', () => {
    beforeAll(seed);

    it('shows the latest run: when, how long, tenants read and failed, with its exports', async () => {
      const page = await browser.get(url('/licensing'));
      const summary = textOf(section(page.html, 'latest-run'));
      expect(summary).toContain('26 November 2026, 02:04 (UTC) · Run by hand');
      expect(summary).toContain('4 min 5 s');
      expect(summary).toContain('1 read, 1 could not be read');
      expect(summary).toContain('2 open, 1 silenced by exclusions');
      expect(page.html).toContain(`href="/licensing/runs/${latest}/export.csv"`);
      expect(page.html).toContain(`href="/licensing/runs/${latest}/subscriptions.csv"`);
    });

    it('groups the open discrepancies by kind with counts, each with its explanation, action and act-by date', async () => {
      const html = section((await browser.get(url('/licensing'))).html, 'discrepancies');
      expect([...html.matchAll(/<section class="section" data-kind="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'unassigned-seats',
        'tenant-unreadable',
      ]);
      expect(textOf(html)).toContain('All kinds (2)');
      expect(textOf(html)).toContain('Unused seats (1)');
      expect(textOf(html)).toContain('Tenants that could not be read (1)');
      const unused = /<li class="card" data-discrepancy="unassigned-seats[^"]*">[\s\S]*?<\/li>/.exec(html)![0];
      expect(textOf(unused)).toContain('Microsoft 365 E3: 3 unused seats — Adatum Corporation');
      expect(textOf(unused)).toContain('Why: Microsoft 365 E3: 3 unused seats.');
      expect(textOf(unused)).toContain('What to do: Do: fix Microsoft 365 E3: 3 unused seats.');
      expect(textOf(unused)).toContain('Act by 3 December 2026');
      expect(decoded(unused)).toContain(`href="/licensing/exclusions?tenantId=${adatum}&skuId=${E3}#add"`);
      expect(html).not.toContain('Visio Plan 2 is not bought through you');
      expect(textOf(html)).toContain('1 discrepancy is silenced by exclusions');
    });

    it('filters discrepancies by kind and by tenant', async () => {
      const byKind = section((await browser.get(url('/licensing?kind=tenant-unreadable'))).html, 'discrepancies');
      expect(byKind).toContain('Could not read Contoso Ltd');
      expect(byKind).not.toContain('3 unused seats');
      const byTenant = section((await browser.get(url('/licensing?tenant=adat'))).html, 'discrepancies');
      expect(byTenant).toContain('3 unused seats');
      expect(byTenant).not.toContain('Could not read Contoso Ltd');
      const none = section((await browser.get(url('/licensing?tenant=wingtip'))).html, 'discrepancies');
      expect(textOf(none)).toContain('No discrepancies match');
      // An unknown kind is no filter, never an error.
      expect((await browser.get(url('/licensing?kind=bogus'))).status).toBe(200);
    });

    it('lists recent changes, the month-end snapshots and the run history', async () => {
      const page = await browser.get(url('/licensing'));
      expect(textOf(section(page.html, 'changes'))).toContain(
        '26 November 2026, 02:04 Adatum Corporation Adatum Corporation: Microsoft 365 E3 purchased seats 10 → 12 (+2)',
      );
      const monthEnds = section(page.html, 'month-ends');
      expect(textOf(monthEnds)).toContain('October 2026');
      expect(monthEnds).toContain('href="/licensing/month-ends/2026-10/export.csv"');
      expect([...section(page.html, 'runs').matchAll(/data-run-row="([^"]+)"/g)].map((m) => m[1])).toEqual([latest, october]);
    });

    it("shows a tenant's discrepancies, silenced ones with their reason, its change history and a chart of purchased vs assigned", async () => {
      const page = await browser.get(url(`/licensing/tenants/${adatum}`));
      expect(page.status).toBe(200);
      expect(textOf(section(page.html, 'discrepancies'))).toContain('Microsoft 365 E3: 3 unused seats');
      expect(textOf(/<details[^>]*id="silenced"[\s\S]*?<\/details>/.exec(page.html)![0])).toContain(
        'Visio Plan 2 is not bought through you — Bought directly on purpose',
      );
      expect(textOf(section(page.html, 'changes'))).toContain(
        '26 November 2026, 02:04 Adatum Corporation: Microsoft 365 E3 purchased seats 10 → 12 (+2)',
      );
      const history = section(page.html, 'history');
      expect([...history.matchAll(/<div class="card" data-chart="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'All paid products',
        'Microsoft 365 E3',
        'Visio Plan 2',
      ]);
      expect(textOf(history)).toContain('Free products are left out of the totals (Microsoft Teams Exploratory)');
      const totals = /<div class="card" data-chart="All paid products">[\s\S]*?<\/svg>/.exec(history)![0];
      expect(totals).toContain(
        'aria-label="All paid products: purchased and assigned seats over 2 runs; latest 14 purchased, 11 assigned"',
      );
      const points = (series: string) => new RegExp(`points="([^"]*)" data-series="${series}"`).exec(totals)?.[1].split(' ');
      expect(points('purchased')).toHaveLength(2);
      expect(points('assigned')).toHaveLength(2);
      expect(totals).toContain('<title>31 October 2026, 02:05: 10 purchased, 8 assigned</title>');
      expect(totals).toContain('<title>26 November 2026, 02:04: 14 purchased, 11 assigned</title>');
      expect(decoded(page.html)).toContain(`href="/licensing/runs/${latest}/export.csv?tenantId=${adatum}"`);
      expect(decoded(page.html)).toContain(`href="/licensing/month-ends/2026-10/export.csv?tenantId=${adatum}"`);
      // The chart is plain SVG: no chart library, no script.
      expect(history).not.toMatch(/<script/);
    });

    it('shows that a tenant could not be read in the latest run', async () => {
      const page = await browser.get(url(`/licensing/tenants/${contoso}`));
      expect(textOf(page.html)).toContain('could not be read: GDAP relationship expired');
    });

    it('exports a run for every tenant and for one tenant, with the billing figures', async () => {
      const response = await fetch(url(`/licensing/runs/${latest}/export.csv`), { headers: { cookie: cookieOf(browser) } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="licences-run-2026-11-26.csv"');
      const lines = (await response.text())
        .replace(/^\ufeff/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe(
        'Tenant,Tenant ID,Product,SKU part number,SKU ID,Purchased,Assigned,Available,Suspended,Warning,Partner Center quantity,Sold by you,Free product,Tenant read in this run,Snapshot taken (UTC),Run ID',
      );
      expect(lines.slice(1)).toEqual([
        `Adatum Corporation,${adatum},Microsoft 365 E3,SPE_E3,${E3},12,9,3,0,0,12,yes,no,yes,2026-11-26T02:04:05.000Z,${latest}`,
        `Adatum Corporation,${adatum},Microsoft Teams Exploratory,TEAMS_EXPLORATORY,${EXPLORATORY},1000,3,997,0,0,,unknown,yes,yes,2026-11-26T02:04:05.000Z,${latest}`,
        `Adatum Corporation,${adatum},Visio Plan 2,VISIOCLIENT,${VISIO},2,2,0,0,0,,no,no,yes,2026-11-26T02:04:05.000Z,${latest}`,
        `Contoso Ltd,${contoso},Microsoft 365 E3,SPE_E3,${E3},5,5,0,0,0,5,yes,no,no,2026-11-26T02:04:05.000Z,${latest}`,
      ]);
      const one = await csv(`/licensing/runs/${latest}/export.csv?tenantId=${contoso}`);
      expect(one.filename).toBe('licences-run-2026-11-26-contoso-ltd.csv');
      expect(one.rows.map((row) => row.slice(0, 3))).toEqual([['Contoso Ltd', contoso, 'Microsoft 365 E3']]);
    });

    it('exports the subscriptions of a run, and a month-end snapshot', async () => {
      const subscriptions = await csv(`/licensing/runs/${latest}/subscriptions.csv`);
      expect(subscriptions.header.slice(0, 6)).toEqual([
        'Tenant',
        'Tenant ID',
        'Subscription ID',
        'Offer',
        'SKU ID',
        'Partner Center quantity',
      ]);
      expect(subscriptions.rows.map((row) => [row[0], row[2], row[5], row[7], row[10], row[12]])).toEqual([
        ['Adatum Corporation', 'sub-adatum-e3', '12', 'P1Y', 'yes', '2027-03-01T00:00:00.000Z'],
        ['Contoso Ltd', 'sub-contoso-e3', '5', 'P1Y', 'yes', '2027-03-01T00:00:00.000Z'],
      ]);
      const monthEnd = await csv('/licensing/month-ends/2026-10/export.csv');
      expect(monthEnd.filename).toBe('licences-month-end-2026-10.csv');
      expect(monthEnd.rows.map((row) => [row[0], row[2], row[5], row[6]])).toEqual([
        ['Adatum Corporation', 'Microsoft 365 E3', '10', '8'],
        ['Adatum Corporation', 'Microsoft Teams Exploratory', '1000', '3'],
        ['Contoso Ltd', 'Microsoft 365 E3', '5', '5'],
      ]);
      const monthEndOfAdatum = await csv(`/licensing/month-ends/2026-10/subscriptions.csv?tenantId=${adatum}`);
      expect(monthEndOfAdatum.rows.map((row) => [row[0], row[5]])).toEqual([['Adatum Corporation', '10']]);
    });

    it('answers an export of a run, month or tenant that does not exist with a friendly 404', async () => {
      for (const path of [
        `/licensing/runs/${randomUUID()}/export.csv`,
        '/licensing/runs/not-a-run/export.csv',
        '/licensing/month-ends/2026-09/export.csv',
        '/licensing/month-ends/soon/subscriptions.csv',
        `/licensing/runs/${latest}/export.csv?tenantId=${randomUUID()}`,
        `/licensing/tenants/${randomUUID()}`,
        '/licensing/tenants/adatum',
      ]) {
        const page = await browser.get(url(path));
        expect([path, page.status]).toEqual([path, 404]);
        expect(page.html).toContain('Not found');
      }
    });

    it('lists the exclusions with what they silence, and adds one, audit logged', async () => {
      const before = await browser.get(url('/licensing/exclusions'));
      const row = /<tr data-exclusion="[^"]+">[\s\S]*?<\/tr>/.exec(before.html)![0];
      expect(textOf(row)).toMatch(
        /Visio Plan 2 at Adatum Corporation Ignore Bought directly on purpose 1 20 November 2026, 10:00 by Contoso Admin/,
      );
      const form = before.forms.find((f) => f.action === url('/licensing/exclusions'))!;
      expect(before.html).toContain(`<option value="${EXPLORATORY}">Microsoft Teams Exploratory (TEAMS_EXPLORATORY) — free</option>`);

      const added = await browser.post(url('/licensing/exclusions'), {
        ...form.fields,
        tenantId: '',
        skuId: EXPLORATORY,
        rule: 'keep-spare',
        spare: '5',
        reason: 'Trial seats for pilots',
      });
      expect(added.status).toBe(303);
      const after = await browser.get(url('/licensing/exclusions'));
      expect(after.html).toContain('Exclusion added. It applies from the next reconciliation run.');
      expect(textOf(after.html)).toContain('Microsoft Teams Exploratory at every tenant Keep 5 spare seats Trial seats for pilots');
      expect(
        await t.query('select tenant_id, sku_id, rule, spare, reason, created_by_name from licensing_exclusions where sku_id = $1', [
          EXPLORATORY,
        ]),
      ).toEqual([
        {
          tenant_id: null,
          sku_id: EXPLORATORY,
          rule: 'keep-spare',
          spare: 5,
          reason: 'Trial seats for pilots',
          created_by_name: 'Contoso Admin',
        },
      ]);
      expect(await audit('licensing.exclusion-added')).toEqual([
        {
          subject: 'Microsoft Teams Exploratory at every tenant',
          detail: 'Keep 5 spare seats. Reason: Trial seats for pilots',
          actor_name: 'Contoso Admin',
        },
      ]);
    });

    it('prefills the tenant and product of a discrepancy, and refuses an exclusion that cannot work with a friendly page', async () => {
      const page = await browser.get(url(`/licensing/exclusions?tenantId=${adatum}&skuId=${E3}`));
      expect(page.html).toContain(`<option value="${adatum}" selected>Adatum Corporation</option>`);
      expect(page.html).toContain(`<option value="${E3}" selected>`);
      const refused = await browser.post(url('/licensing/exclusions'), {
        _csrf: await csrf('/licensing/exclusions'),
        tenantId: adatum,
        skuId: E3,
        rule: 'keep-spare',
        spare: 'two',
        reason: 'New starters',
      });
      expect(refused.status).toBe(422);
      // The exclusions page again with everything chosen and typed, the reason beside the spare seats.
      expect(refused.html).toContain('<h2 id="add-title">Add an exclusion</h2>');
      expect(refused.html).toContain(`<option value="${adatum}" selected>Adatum Corporation</option>`);
      expect(refused.html).toContain('<option value="keep-spare" selected>');
      expect(refused.html).toContain('value="two" aria-invalid="true" aria-describedby="exclusion-spare-error"');
      expect(refused.html).toMatch(
        /<span class="field-error" id="exclusion-spare-error">Keeping spare seats needs a whole number of seats, at least 1\./,
      );
      expect(refused.html).toContain('value="New starters"');
      const unknownTenant = await browser.post(url('/licensing/exclusions'), {
        _csrf: await csrf('/licensing/exclusions'),
        tenantId: randomUUID(),
        rule: 'ignore',
        reason: 'x',
      });
      expect(unknownTenant.status).toBe(422);
      expect(unknownTenant.html).toContain('aria-describedby="exclusion-tenantId-error"');
      expect(await t.query('select 1 from licensing_exclusions where organization_id = $1', [orgA])).toHaveLength(2);
    });

    it('removes an exclusion after a confirmation, audit logged', async () => {
      const confirm = await browser.get(url(`/licensing/exclusions/${silencingExclusion}/remove`));
      expect(confirm.status).toBe(200);
      expect(textOf(confirm.html)).toContain('Remove this exclusion?');
      expect(textOf(confirm.html)).toContain('Ignore for Visio Plan 2 at Adatum Corporation');
      const removed = await browser.post(url(`/licensing/exclusions/${silencingExclusion}/remove`), {
        _csrf: confirm.forms.find((f) => f.action.endsWith('/remove'))!.fields._csrf,
      });
      expect(removed.status).toBe(303);
      expect(await t.query('select 1 from licensing_exclusions where id = $1', [silencingExclusion])).toEqual([]);
      expect(await audit('licensing.exclusion-removed')).toEqual([
        {
          subject: 'Visio Plan 2 at Adatum Corporation',
          detail: 'Ignore. Reason given when it was added: Bought directly on purpose',
          actor_name: 'Contoso Admin',
        },
      ]);
      // The run it silenced stays as it was; its reason is gone with it.
      const tenant = await browser.get(url(`/licensing/tenants/${adatum}`));
      expect(textOf(tenant.html)).toContain('Visio Plan 2 is not bought through you — an exclusion since removed');
      expect((await browser.post(url(`/licensing/exclusions/${silencingExclusion}/remove`), { _csrf: await csrf() })).status).toBe(404);
    });

    it('changes the time of the daily run, audit logged, and shows times in the new time zone', async () => {
      const page = await browser.get(url('/licensing'));
      const form = page.forms.find((f) => f.action === url('/licensing/schedule'))!;
      expect(form.fields.runAt).toBe('02:00');
      expect(page.html).toContain('<option value="UTC" selected>');
      const saved = await browser.post(url('/licensing/schedule'), { ...form.fields, timeZone: 'Europe/Amsterdam', runAt: '06:30' });
      expect(saved.status).toBe(303);
      expect(
        await t.query('select time_zone, run_at, last_scheduled_on from reconciliation_schedules where organization_id = $1', [orgA]),
      ).toEqual([{ time_zone: 'Europe/Amsterdam', run_at: '06:30', last_scheduled_on: null }]);
      const after = await browser.get(url('/licensing'));
      expect(after.html).toContain('The reconciliation now runs every day at 06:30 (Europe/Amsterdam).');
      expect(textOf(section(after.html, 'latest-run'))).toContain('26 November 2026, 03:04 (Europe/Amsterdam)');
      expect(after.html).toContain('<option value="Europe/Amsterdam" selected>');
      expect(await audit('licensing.schedule-changed')).toEqual([
        {
          subject: 'Daily licensing reconciliation',
          detail: 'Runs every day at 06:30 (Europe/Amsterdam); was 02:00 (UTC).',
          actor_name: 'Contoso Admin',
        },
      ]);
    });

    it("shows every dashboard date in the organization's time zone, with its abbreviation", async () => {
      // The zone is Europe/Amsterdam since the test before: the audit log's times are in CET/CEST, none in UTC.
      const [{ occurred_at: changedAt }] = await t.query<{ occurred_at: Date }>(
        `select occurred_at from audit_entries where action = 'licensing.schedule-changed' and organization_id = $1`,
        [orgA],
      );
      const amsterdam = new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Europe/Amsterdam',
        timeZoneName: 'short',
      }).format(changedAt);
      const log = await browser.get(url('/settings/audit-log'));
      const times = [...log.html.matchAll(/<time datetime="[^"]+">([^<]+)<\/time>/g)].map((m) => m[1]);
      expect(times.length).toBeGreaterThan(0);
      for (const time of times) expect(time).toMatch(/ CES?T$/);
      expect(times).toContain(amsterdam.replace(/ GMT\+1$/, ' CET').replace(/ GMT\+2$/, ' CEST'));
      const keys = await browser.get(url('/settings/api-keys'));
      expect(keys.status).toBe(200);
      expect(keys.html).not.toMatch(/\d{2}:\d{2} UTC/);
    });

    it('refuses a time zone or time it does not know with a friendly page', async () => {
      const zone = await browser.post(url('/licensing/schedule'), { _csrf: await csrf(), timeZone: 'Europe/Atlantis', runAt: '06:30' });
      expect(zone.status).toBe(422);
      expect(zone.html).toContain('is not a time zone Sync 365 knows');
      // The Licensing page again, the time as typed, the reason beside the time zone.
      expect(zone.html).toContain('value="06:30" required');
      expect(zone.html).toContain(
        '<select id="timeZone" name="timeZone" required aria-invalid="true" aria-describedby="schedule-timeZone-error">',
      );
      const time = await browser.post(url('/licensing/schedule'), { _csrf: await csrf(), timeZone: 'UTC', runAt: '25:00' });
      expect(time.status).toBe(422);
      expect(time.html).toContain('is not a time of day');
      expect(
        (await t.query<{ run_at: string }>('select run_at from reconciliation_schedules where organization_id = $1', [orgA]))[0].run_at,
      ).toBe('06:30');
    });
  });

  describe('with a connected account', () => {
    it('Run the reconciliation now asks for a reconciliation of the organization, says so, and is audit logged', async () => {
      // A connected account to read through (without one, Run now refuses: above). Last in the file: the run it
      // starts would add to the run history the tests above count.
      await t.query(
        `insert into delegated_admins (id, organization_id, partner_tenant_id, partner_directory_name, account_object_id, account_upn, account_display_name, status, status_reason, mfa_verified, admin_agent_verified, granted_at, granted_by_name, created_at)
         values ($1, $2, $3, 'Contoso Partners', $4, 's365@contoso-partners.example', 'Sync 365 service', 'active', null, true, true, now(), 'Contoso Admin', now())`,
        [randomUUID(), orgA, randomUUID(), randomUUID()],
      );
      const response = await browser.post(url('/licensing/run'), { _csrf: await csrf() });
      expect(response.status).toBe(303);
      expect(response.location).toBe(url('/licensing'));
      expect(
        await t.query(`select 1 from outbox_messages where event_name = 'licensing.reconciliation-due' and organization_id = $1`, [orgA]),
      ).toHaveLength(1);
      expect(await audit('licensing.reconciliation-requested')).toEqual([
        {
          subject: 'Licensing reconciliation',
          detail: expect.stringContaining('re-reads every customer tenant'),
          actor_name: 'Contoso Admin',
        },
      ]);
      expect((await browser.get(url('/licensing'))).html).toContain('The reconciliation has started');
      const log = await browser.get(url('/settings/audit-log'));
      expect(textOf(log.html)).toMatch(/Contoso Admin Reconciliation run started by hand/);
    });
  });

  describe('another organization', () => {
    beforeAll(async () => {
      other = await signInToDashboard(t, `admin@${DEMO_DOMAINS.tailspin}`);
    });

    it("sees none of the first organization's runs, tenants, exports or exclusions", async () => {
      const page = await other.get(url('/licensing'));
      expect(textOf(page.html)).toContain('No reconciliation has run yet');
      expect(page.html).not.toContain('Adatum Corporation');
      for (const path of [
        `/licensing/runs/${latest}/export.csv`,
        `/licensing/runs/${latest}/subscriptions.csv`,
        `/licensing/tenants/${adatum}`,
        '/licensing/month-ends/2026-10/export.csv',
      ]) {
        expect([path, (await other.get(url(path))).status]).toEqual([path, 404]);
      }
      const [exclusion] = await t.query<{ id: string }>('select id from licensing_exclusions where organization_id = $1', [orgA]);
      expect((await other.get(url(`/licensing/exclusions/${exclusion.id}/remove`))).status).toBe(404);
      const token = await csrfTokenOf(t, other, '/licensing');
      expect((await other.post(url(`/licensing/exclusions/${exclusion.id}/remove`), { _csrf: token })).status).toBe(404);
      expect(await t.query('select 1 from licensing_exclusions where id = $1', [exclusion.id])).toHaveLength(1);
      expect((await other.get(url('/licensing/exclusions'))).html).not.toContain('Trial seats for pilots');
    });
  });

  function cookieOf(signedIn: EmulatorBrowser): string {
    return Object.entries(signedIn.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  // A CSV download split into header and rows (no field here holds a comma or quote).
  async function csv(path: string) {
    const response = await fetch(url(path), { headers: { cookie: cookieOf(browser) } });
    expect(response.status).toBe(200);
    const [header, ...rows] = (await response.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    return { filename: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1], header, rows };
  }
});
