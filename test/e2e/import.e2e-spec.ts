import { DEMO_CUSTOMERS, DEMO_QUIRKS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { ResumeImportsUseCase } from '../../src/modules/tenants/application/resume-imports.use-case';
import { ShiftedClock } from '../../src/shared/testing/fakes';
import { sessionClient, type PartnerApiClient } from '../support/api-client';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN = 'admin@contoso-partners.example';
const S365 = 's365@contoso-partners.example';
const id = (key: string) => DEMO_CUSTOMERS[key].id;

describe('importing customer tenants and licences (e2e through the local Microsoft)', () => {
  let t: TestApp;
  // The app that created the database and the local Microsoft (t may later be a restarted instance).
  let first: TestApp;
  let browser: EmulatorBrowser;
  const clock = new ShiftedClock();

  beforeAll(async () => {
    t = first = await startTestApp({ clock });
    browser = await signInToDashboard(t, ADMIN);
  });
  afterAll(async () => {
    if (process.env.DEBUG_LOGS)
      console.log(
        JSON.stringify(await db('select status, total, done, failed, error from import_runs')),
        JSON.stringify(await db('select status, count(*) from import_run_tenants group by status')),
        JSON.stringify(await db('select name, state, count(*) from pgboss.job group by 1,2')),
        t.logs
          .filter((l) => l.includes('"level":50') || l.includes('"level":40'))
          .slice(0, 12)
          .join('\n'),
      );
    if (t !== first) await t.close();
    await first.close();
  });

  // The partner API with the dashboard's session (the instance and the sign-in change when the process restarts).
  const api = (): PartnerApiClient => sessionClient(t, browser);
  async function startImports(): Promise<void> {
    const { response, error } = await sessionClient(t, browser, await csrfTokenOf(t, browser)).POST('/api/v1/import-runs', {});
    if (response.status !== 202) throw new Error(`Starting imports answered ${response.status}: ${JSON.stringify(error)}`);
  }

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);

  async function tenants() {
    const all = [];
    let cursor: string | undefined;
    do {
      const { data } = await api().GET('/api/v1/tenants', { params: { query: { removed: true, limit: 10, cursor } } });
      all.push(...data!.items);
      cursor = data!.nextCursor ?? undefined;
    } while (cursor);
    return new Map(all.map((x) => [x.tenantId, x]));
  }

  const importFinished = () =>
    eventually(async () => {
      const progress = (await api().GET('/api/v1/import-runs/current')).data!;
      expect(progress.running).toBe(false);
      const runs = (await api().GET('/api/v1/import-runs')).data!.items;
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
    }, 120_000);

  it('imports every customer with its licences and GDAP status right after consent', async () => {
    expect((await grantConsent(t, browser, S365)).status).toBe(303);

    await importFinished();
    const all = await tenants();
    expect(all.size).toBe(DEMO_QUIRKS.contoso.customers);
    expect([...all.values()].every((x) => x.status === 'active' && x.lastError === null)).toBe(true);
    // Partner Center lists licences only through a licence-reading GDAP role: those tenants are read (not failed), their
    // licences unknown (null, never 0) with the reason.
    const unreadable: string[] = DEMO_QUIRKS.contoso.licencesUnreadable.map(id);
    expect(
      [...all.values()]
        .filter((x) => x.purchased === null)
        .map((x) => x.tenantId)
        .sort(),
    ).toEqual([...unreadable].sort());
    for (const tenantId of unreadable)
      expect(all.get(tenantId)).toMatchObject({
        licencesReadable: false,
        licencesUnreadableReason: expect.stringMatching(/^GDAP role missing: /),
        assigned: null,
      });

    const { overAssigned } = DEMO_QUIRKS.contoso;
    const licencesOf = async (tenantId: string) =>
      (await api().GET('/api/v1/tenants/{tenantId}/licences', { params: { path: { tenantId } } })).data!.items;
    const coho = await licencesOf(id(overAssigned.customer));
    expect(coho.find((l) => l.skuPartNumber === overAssigned.skuPartNumber)).toMatchObject({
      purchased: overAssigned.prepaidEnabled,
      assigned: overAssigned.consumed,
      productName: 'Microsoft 365 Business Premium',
    });
    const skuCount = (await Promise.all([...all.keys()].map(licencesOf))).reduce((n, l) => n + l.length, 0);
    expect(skuCount).toBe(DEMO_QUIRKS.contoso.subscribedSkusReadable);

    const { gdap } = DEMO_QUIRKS.contoso;
    for (const key of gdap.withoutApplicationAdministrator)
      expect(all.get(id(key))).toMatchObject({ gdapStatus: 'missing_roles', gdapMissingRoles: ['Application Administrator'] });
    for (const key of gdap.expired) expect(all.get(id(key))?.gdapStatus).toBe('expired');
    for (const key of gdap.absent) expect(all.get(id(key))?.gdapStatus).toBe('no_gdap');
    for (const key of gdap.withoutLicenceReadingRole)
      expect(all.get(id(key))).toMatchObject({ gdapStatus: 'missing_roles', gdapMissingRoles: ['Global Reader'] });
    const special = new Set(
      [...gdap.withoutApplicationAdministrator, ...gdap.expired, ...gdap.absent, ...gdap.withoutLicenceReadingRole].map(id),
    );
    expect([...all.values()].filter((x) => !special.has(x.tenantId)).every((x) => x.gdapStatus === 'ok')).toBe(true);

    const page = await browser.get(`${t.baseUrl}/tenants/${id(overAssigned.customer)}`);
    expect(page.html).toContain('over-assigned');
    expect(page.html).toContain('Microsoft 365 Business Premium');

    // CSV exports: one line per customer and per licence, after a header.
    const customersCsv = (await browser.get(`${t.baseUrl}/customers/export.csv`)).html.trim().split('\r\n');
    expect(customersCsv[0]).toContain('Company,Domain,Tenant ID');
    expect(customersCsv).toHaveLength(DEMO_QUIRKS.contoso.customers + 1);
    expect(
      customersCsv.some(
        (line) => line.startsWith('Coho Winery,') && line.includes(`,${overAssigned.prepaidEnabled},${overAssigned.consumed},`),
      ),
    ).toBe(true);
    const licencesCsv = (await browser.get(`${t.baseUrl}/licences/export.csv`)).html.trim().split('\r\n');
    // One line per readable licence, one per tenant whose licences are not readable (counts empty), after a header.
    expect(licencesCsv).toHaveLength(DEMO_QUIRKS.contoso.subscribedSkusReadable + DEMO_QUIRKS.contoso.licencesUnreadable.length + 1);
    expect(licencesCsv.filter((line) => line.includes('Not readable: GDAP role missing'))).toHaveLength(
      DEMO_QUIRKS.contoso.licencesUnreadable.length,
    );
    expect(customersCsv.find((line) => line.startsWith('Southridge Video,'))).toMatch(
      /,,,.*Not readable: GDAP role missing\. GDAP role missing: /,
    );

    const southridge = (await browser.get(`${t.baseUrl}/tenants/${id('southridge')}`)).html;
    expect(southridge).toContain('Not readable: GDAP role missing');
    expect(southridge).toContain('id="subscriptions"');
    expect(southridge).not.toContain('id="licences"');
  });

  // Rows of the Customers list (or of any page listing tenants with data-tenant).
  const rowsOf = (html: string) => [...html.matchAll(/<tr data-tenant="([0-9a-f-]+)">/g)].map((m) => m[1]);
  // Handlebars escapes & and = in attribute values; browsers read them back.
  const decoded = (html: string) => html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
  const hrefOf = (html: string, attribute: string) => html.match(new RegExp(`<li ${attribute}[^>]*><a href="([^"]+)"`))?.[1];

  it('flags over-assigned customers ("over-assigned by 3"), says "N assigned · M unused", and filters them (page and API)', async () => {
    const { overAssigned } = DEMO_QUIRKS.contoso;
    const by = overAssigned.consumed - overAssigned.prepaidEnabled;
    const list = (await browser.get(`${t.baseUrl}/customers`)).html;
    const rowOf = (html: string, key: string) => html.match(new RegExp(`<tr data-tenant="${id(key)}">[\\s\\S]*?</tr>`))?.[0] ?? '';
    expect(rowOf(list, overAssigned.customer)).toContain(
      `<span data-seats>${overAssigned.consumed} assigned</span> <span class="badge badge--bad" data-over-assigned="${by}"`,
    );
    expect(rowOf(list, overAssigned.customer)).toContain(`over-assigned by ${by}`);
    // Coho is the only over-assigned customer; "unused" is a number of seats, not a badge on the assigned count.
    expect([...list.matchAll(/data-over-assigned="/g)]).toHaveLength(1);
    expect(list).not.toContain('>unassigned</span>');
    const graphic = (await tenants()).get(id('graphicdesign'))!;
    expect(graphic.purchased! - graphic.assigned!).toBeGreaterThan(0);
    expect(rowOf(list, 'graphicdesign')).toContain(
      `<span data-seats>${graphic.assigned} assigned · ${graphic.purchased! - graphic.assigned!} unused</span>`,
    );
    // Licences that are not readable are never over-assigned or unused: no seat numbers at all.
    for (const key of DEMO_QUIRKS.contoso.licencesUnreadable) {
      expect(rowOf(list, key)).toContain('Not readable: GDAP role missing');
      expect(rowOf(list, key)).not.toContain('data-seats');
      expect(rowOf(list, key)).not.toContain('data-over-assigned');
    }

    const filtered = decoded((await browser.get(`${t.baseUrl}/customers?overAssigned=1`)).html);
    expect(rowsOf(filtered)).toEqual([id(overAssigned.customer)]);
    expect(filtered).toContain('name="overAssigned" value="1" checked');
    const { data } = await api().GET('/api/v1/tenants', { params: { query: { overAssigned: true } } });
    expect(data!.items.map((x) => x.tenantId)).toEqual([id(overAssigned.customer)]);
    expect(data!.items[0]).toMatchObject({
      purchased: overAssigned.prepaidEnabled,
      assigned: overAssigned.consumed,
      overAssignedBy: by,
      unusedSeats: 0,
    });
    const all = await tenants();
    for (const key of DEMO_QUIRKS.contoso.licencesUnreadable)
      expect(all.get(id(key))).toMatchObject({ overAssignedBy: null, unusedSeats: null });
    expect(all.get(id('graphicdesign'))).toMatchObject({ overAssignedBy: 0, unusedSeats: graphic.purchased! - graphic.assigned! });
  });

  it('exports what the Customers list shows (its search and filters), every line named by its company', async () => {
    const page = decoded((await browser.get(`${t.baseUrl}/customers?q=Coho&overAssigned=1`)).html);
    expect(page).toContain('href="/customers/export.csv?q=Coho&overAssigned=1" data-export="customers"');
    expect(page).toContain('href="/licences/export.csv?q=Coho&overAssigned=1" data-export="licences"');

    const customers = (await browser.get(`${t.baseUrl}/customers/export.csv?q=Coho&overAssigned=1`)).html.trim().split('\r\n');
    expect(customers).toHaveLength(2);
    expect(customers[0]).toContain(',Licences purchased,Licences assigned,Unassigned seats,Unused seats,Over-assigned by,GDAP status,');
    expect(customers[1].startsWith(`Coho Winery,cohowinery.example,${id('coho')},`)).toBe(true);
    expect(customers[1]).toMatch(/,12,15,(yes|no),0,3,OK,/);
    const licences = (await browser.get(`${t.baseUrl}/licences/export.csv?q=Coho`)).html.trim().split('\r\n');
    expect(licences[0].startsWith('Company,Tenant ID,Product,')).toBe(true);
    expect(licences.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^Coho Winery,${id('coho')},Microsoft 365 Business Premium,SPB,`)),
    ]);
    // A filter that matches nothing exports the header only.
    expect((await browser.get(`${t.baseUrl}/licences/export.csv?q=no-such-company`)).html.trim().split('\r\n')).toHaveLength(1);
    // Unfiltered: every licence line starts with its company's name (unreadable ones included), never a bare id.
    const names = new Set([...(await tenants()).values()].map((x) => x.companyName));
    const everything = (await browser.get(`${t.baseUrl}/licences/export.csv`)).html.trim().split('\r\n').slice(1);
    expect(everything).toHaveLength(DEMO_QUIRKS.contoso.subscribedSkusReadable + DEMO_QUIRKS.contoso.licencesUnreadable.length);
    expect(everything.filter((line) => ![...names].some((name) => line.startsWith(`${name.includes(',') ? `"${name}"` : name},`)))).toEqual(
      [],
    );
  });

  it('lands on an overview whose every number links to the list it counts', async () => {
    // The reconciliation of the import just finished has run (its discrepancies are what the overview counts).
    await eventually(
      async () => expect((await db<{ n: number }>('select count(*)::int as n from reconciliation_runs'))[0].n).toBe(1),
      60_000,
    );
    const overview = decoded((await browser.get(`${t.baseUrl}/`)).html);
    expect(overview).toContain('<h1>Overview</h1>');
    expect(overview).toContain('aria-current="page">Overview</a>');
    // Connection health, with no fix needed.
    expect(overview).toMatch(new RegExp(`data-connection="${S365}">[\\s\\S]*?badge--ok">Active<`));
    // The last import: every tenant read, none failed.
    expect(overview).toContain(`data-import-read>${DEMO_QUIRKS.contoso.customers} of ${DEMO_QUIRKS.contoso.customers}<`);
    expect(overview).toContain('data-import-failed>none<');
    expect(overview).not.toContain('data-alert="failed"');

    // Alerts: each count is the length of the list its link opens.
    const expected: Record<string, number> = {
      'over-assigned': 1,
      'licences-unreadable': DEMO_QUIRKS.contoso.licencesUnreadable.length,
      'app-not-set-up': DEMO_QUIRKS.contoso.appCannotBeProvisioned.length,
      'blocked-by-policy': DEMO_QUIRKS.contoso.conditionalAccessBlocked.length,
    };
    for (const [key, count] of Object.entries(expected)) {
      expect(overview).toMatch(
        new RegExp(`data-alert="${key}"><a href="[^"]+" class="[^"]+"><span class="num overview__n">${count}</span>`),
      );
      const href = hrefOf(overview, `data-alert="${key}"`)!;
      expect(rowsOf((await browser.get(`${t.baseUrl}${href}`)).html)).toHaveLength(count);
    }
    expect(rowsOf((await browser.get(`${t.baseUrl}${hrefOf(overview, 'data-alert="over-assigned"')}`)).html)).toEqual([id('coho')]);
    expect(rowsOf((await browser.get(`${t.baseUrl}${hrefOf(overview, 'data-alert="app-not-set-up"')}`)).html)).toEqual(
      DEMO_QUIRKS.contoso.appCannotBeProvisioned.map(id),
    );

    // Unused seats: the sum over the customers the "Has unassigned seats" list shows, never unreadable licences.
    const all = [...(await tenants()).values()].filter((x) => x.status === 'active' && x.hasUnassignedSeats && x.licencesReadable);
    const seats = all.reduce((sum, x) => sum + Math.max(0, x.purchased! - x.assigned!), 0);
    expect(seats).toBeGreaterThan(0);
    expect(overview).toContain(`<a href="/customers?unassigned=1" data-unused-seats="${seats}">`);
    expect(rowsOf((await browser.get(`${t.baseUrl}/customers?unassigned=1`)).html).sort()).toEqual(all.map((x) => x.tenantId).sort());

    // Open discrepancies by kind, each linking to that kind on the Licensing tab.
    const open = await db<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from discrepancies where silenced_by is null group by kind',
    );
    expect(open.length).toBeGreaterThan(0);
    for (const { kind, n } of open) {
      expect(overview).toContain(
        `<li data-discrepancy-kind="${kind}"><a href="/licensing?kind=${kind}"><span class="num overview__n">${n}</span>`,
      );
    }
  });

  it('writes nothing on a re-import where nothing changed, and marks a customer gone from Partner Center as removed', async () => {
    const before = await db<{ tenant_id: string; changed_at: Date }>(
      'select tenant_id, changed_at from customer_tenants order by tenant_id',
    );
    await startImports();
    await importFinished();
    const after = await db<{ tenant_id: string; changed_at: Date }>(
      'select tenant_id, changed_at from customer_tenants order by tenant_id',
    );
    expect(after).toEqual(before);

    const gone = id('wideworld');
    await emulatorControl(t, `customers/${gone}`, undefined, 'DELETE');
    await startImports();
    await importFinished();
    const all = await tenants();
    expect(all.get(gone)?.status).toBe('removed');
    expect([...all.values()].filter((x) => x.status === 'active')).toHaveLength(DEMO_QUIRKS.contoso.customers - 1);
  });

  it('completes despite a 429 storm, 500s, a 403 and malformed JSON, and lists exactly the tenants that failed', async () => {
    // (No emulator reset here: it would also forget the consent's refresh token.)
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscriptions',
      status: 429,
      retryAfterSeconds: 1,
      count: 12,
    });
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('coho'),
      status: 500,
      count: 50,
    });
    // Partner Center refusing the account for a customer (licences and subscriptions): that tenant fails.
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('fourthcoffee'),
      status: 403,
      count: 50,
    });
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscriptions',
      customerId: id('fourthcoffee'),
      status: 403,
      count: 50,
    });
    // Refusing only the licences is the missing GDAP role: not a failure, licences not readable.
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('alpine'),
      status: 403,
      count: 50,
    });
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('trey'),
      kind: 'malformed',
      count: 50,
    });
    await startImports();
    await importFinished();

    const failed = [...(await tenants()).values()].filter((x) => x.lastError !== null);
    expect(failed.map((x) => x.tenantId).sort()).toEqual([id('coho'), id('fourthcoffee'), id('trey')].sort());
    expect((await tenants()).get(id('alpine'))).toMatchObject({ lastError: null, licencesReadable: false, purchased: null });
    const page = await browser.get(`${t.baseUrl}/customers?failed=1`);
    expect(page.html).toContain('3 tenants could not be read');
    for (const x of failed) expect(page.html).toContain(`data-failed-tenant="${x.tenantId}"`);

    // Retry one once Microsoft answers again.
    await emulatorControl(t, 'faults', undefined, 'DELETE');
    expect(await emulatorControl(t, 'faults', undefined, 'GET')).toEqual([]);
    const csrf = await csrfTokenOf(t, browser);
    const retried = await browser.post(`${t.baseUrl}/tenants/${id('fourthcoffee')}/retry`, { _csrf: csrf });
    expect(retried.status).toBe(303);
    expect((await browser.get(retried.location!)).html).toContain('Reading this tenant again');
    await eventually(async () => expect((await tenants()).get(id('fourthcoffee'))?.lastError).toBeNull());
    // Failing tenants are read three times, each with the client's own retries: this test takes a while.
  }, 150_000);

  it('marks the delegated admin Failed, with the reason, while Partner Center refuses its customer list, and Active again after', async () => {
    await emulatorControl(t, 'faults', { method: 'GET', path: '/v1/customers', status: 403 });
    await startImports();
    await eventually(async () => {
      const [admin] = await db<{ status: string; status_reason: string }>('select status, status_reason from delegated_admins');
      expect(admin.status).toBe('failed');
      expect(admin.status_reason).toMatch(/Admin Agent/);
    });
    const runs = (await api().GET('/api/v1/import-runs')).data!.items;
    expect(runs[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/Admin Agent/) });
    expect((await browser.get(`${t.baseUrl}/customers/delegated-admins`)).html).toContain('Failed');

    await emulatorControl(t, 'faults', undefined, 'DELETE');
    await startImports();
    await importFinished();
    await eventually(async () => expect((await db<{ status: string }>('select status from delegated_admins'))[0].status).toBe('active'));
  });

  it('reads a tenant Microsoft keeps throttling once the throttling ends: it never fails for being asked to wait', async () => {
    // More 429s than the reads' own retries and attempts together (3 × 4): before, the tenant ended failed.
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('adatum'),
      status: 429,
      retryAfterSeconds: 1,
      count: 16,
    });
    await startImports();
    await importFinished();
    expect((await tenants()).get(id('adatum'))?.lastError).toBeNull();
    expect(await emulatorControl(t, 'faults', undefined, 'GET')).toEqual([]);
  }, 150_000);

  it('never takes a live import for a dead one, however long a read waits on Microsoft', async () => {
    await emulatorControl(t, 'faults', {
      method: 'GET',
      path: '/v1/customers/*/subscribedskus',
      customerId: id('adatum'),
      kind: 'latency',
      latencyMs: 8000,
      count: 1,
    });
    await startImports();
    const [run] = await db<{ id: string }>(`select id from import_runs order by started_at desc limit 1`);
    await eventually(async () =>
      expect(await db(`select tenant_id from import_run_tenants where run_id = $1 and status = 'pending'`, [run.id])).toEqual([
        { tenant_id: id('adatum') },
      ]),
    );
    // Long after the last progress by the clock, the resume still sees the read's job alive and queues nothing.
    clock.offsetMs = 30 * 60 * 1000;
    try {
      expect(await t.app.get(ResumeImportsUseCase).execute()).toBe(0);
    } finally {
      clock.offsetMs = 0;
    }
    expect(
      await db(`select state from pgboss.job where name = 'tenants.read-tenant' and singleton_key = $1 and state = 'created'`, [
        `${run.id}:${id('adatum')}`,
      ]),
    ).toEqual([]);
    await importFinished();
    expect((await tenants()).get(id('adatum'))?.lastError).toBeNull();
  }, 150_000);

  it('reads again an answer that was cut off on the way, so no tenant fails for it', async () => {
    for (const key of ['adatum', 'alpine', 'bellows']) {
      await emulatorControl(t, 'faults', {
        method: 'GET',
        path: '/v1/customers/*/subscribedskus',
        customerId: id(key),
        kind: 'malformed',
        count: 5,
      });
    }
    await startImports();
    await importFinished();
    expect([...(await tenants()).values()].filter((x) => x.lastError !== null)).toEqual([]);
  }, 150_000);

  it('resumes an import whose process was killed (kill -9): the tenants it was reading finish within a minute of the restart', async () => {
    // Slow Partner Center down so the import is still going, with reads in flight, when the process dies.
    await emulatorControl(t, 'faults', { method: 'GET', path: '/v1/customers/*/subscribedskus', kind: 'latency', latencyMs: 400 });
    await startImports();
    await eventually(async () => {
      const progress = (await api().GET('/api/v1/import-runs/current')).data!;
      expect(progress.total).toBeGreaterThan(0);
      expect(progress.done).toBeGreaterThan(0);
    });
    const shared = { database: t.database, emulator: t.emulator, baseUrl: t.baseUrl, config: t.config };
    await t.crash();
    const abandoned = await db<{ n: number }>(
      `select count(*)::int as n from pgboss.job where name = 'tenants.read-tenant' and state = 'active'`,
    );
    expect(abandoned[0].n).toBeGreaterThan(0);
    await emulatorControl(t, 'faults', undefined, 'DELETE');

    // The restarted instance (same clock: nothing needs to look old) retries the dead process's reads as soon as
    // they miss their heartbeats, and queues again what was never queued.
    t = await startTestApp({ clock, sharing: shared });
    browser = await signInToDashboard(t, ADMIN);
    await eventually(async () => {
      const progress = (await api().GET('/api/v1/import-runs/current')).data!;
      expect(progress.running).toBe(false);
    }, 75_000);

    const runs = await db<{ total: number; done: number; failed: number }>(
      `select total, done, failed from import_runs order by started_at desc limit 1`,
    );
    expect(runs[0].done + runs[0].failed).toBe(runs[0].total);
    const counts = await db<{ tenants: number; distinct_tenants: number }>(
      `select count(*)::int as tenants, count(distinct tenant_id)::int as distinct_tenants from customer_tenants where status = 'active'`,
    );
    // Wide World Importers left Partner Center in an earlier test.
    expect(counts[0]).toEqual({ tenants: DEMO_QUIRKS.contoso.customers - 1, distinct_tenants: DEMO_QUIRKS.contoso.customers - 1 });
  }, 150_000);
});
