import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { csrfTokenOf, emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN = 'admin@contoso-partners.example';
const S365 = 's365@contoso-partners.example';
const id = (key: string) => DEMO_CUSTOMERS[key].id;
// Entra built-in role template ids (FACTS.md §3.5).
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';

interface AccessRow {
  app_status: string | null;
  app_provisioned_at: Date | null;
  access_problem: string | null;
  access_problem_kind: string | null;
  purchased: number | null;
  last_error: string | null;
}

// FACTS §7a.2 through the whole product: the import meets AADSTS65001 in customers without the Sync 365 app,
// provisions it through Partner Center applicationconsents where the service account may (Application
// Administrator), records the outcome per tenant and shows "not set up yet" with the fix where it may not.
describe('Conformance: the app in each customer tenant (product, e2e through the local Microsoft)', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;

  const access = async (key: string): Promise<AccessRow> =>
    (
      await t.query<AccessRow>(
        'select app_status, app_provisioned_at, access_problem, access_problem_kind, purchased, last_error from customer_tenants where tenant_id = $1',
        [id(key)],
      )
    )[0];
  const latestRunCompleted = () =>
    eventually(async () => {
      const [run] = await t.query<{ status: string }>('select status from import_runs order by started_at desc limit 1');
      expect(run?.status).toBe('completed');
    }, 120_000);

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, ADMIN);
    expect((await grantConsent(t, browser, S365)).status).toBe(303);
    await latestRunCompleted();
  }, 150_000);

  afterAll(async () => {
    await t?.close();
  });

  it('provisions the app where it was missing and the service account holds Application Administrator, then reads the directory', async () => {
    const [key] = DEMO_QUIRKS.contoso.appProvisionedByImport;

    const row = await access(key);

    expect(row).toMatchObject({ app_status: 'provisioned', access_problem: null, access_problem_kind: null, last_error: null });
    expect(row.app_provisioned_at).toBeInstanceOf(Date);
    // Partner Center now lists the consent, with the Graph grant Sync 365 asked for.
    const consents = await emulatorConsents(key);
    expect(consents).toEqual([
      expect.objectContaining({
        applicationId: DEMO_IDS.sync365App,
        applicationGrants: [expect.objectContaining({ enterpriseApplicationId: '00000003-0000-0000-c000-000000000000' })],
      }),
    ]);
    const [read] = await t.query<{ directory_failure: string | null; directory_read_at: Date | null }>(
      'select directory_failure, directory_read_at from tenant_licence_reads where tenant_id = $1',
      [id(key)],
    );
    expect(read).toMatchObject({ directory_failure: null, directory_read_at: expect.any(Date) });
    // A change Sync 365 made in a customer's directory is in the audit log.
    expect(await t.query(`select actor_name, subject, outcome from audit_entries where action = 'tenants.app-provisioned'`)).toEqual([
      { actor_name: 'Sync 365', subject: DEMO_CUSTOMERS[key].companyName, outcome: 'success' },
    ]);
  });

  it('records "already present" for customers that had the app, without asking Partner Center to add it', async () => {
    expect(await access('adatum')).toMatchObject({ app_status: 'present', app_provisioned_at: null, access_problem: null });
  });

  it('cannot provision without Application Administrator: the tenant says "not set up yet" with the fix, its Partner Center licences are still recorded', async () => {
    const [key] = DEMO_QUIRKS.contoso.appCannotBeProvisioned;

    const row = await access(key);

    expect(row).toMatchObject({ app_status: 'missing', access_problem_kind: 'app_not_provisioned', last_error: null });
    expect(row.access_problem).toMatch(/not set up in this customer yet/);
    expect(row.access_problem).toMatch(/Application Administrator/);
    expect(row.purchased).toBeGreaterThan(0);
    expect(await t.query('select status from delegated_admins where account_upn = $1', [S365])).toEqual([{ status: 'active' }]);
  });

  it('shows it on the customers list, the tenant page and the API', async () => {
    const [key] = DEMO_QUIRKS.contoso.appCannotBeProvisioned;

    const list = await browser.get(`${t.baseUrl}/customers`);
    const row = new RegExp(`<tr data-tenant="${id(key)}">[\\s\\S]*?</tr>`).exec(list.html)?.[0] ?? '';
    expect(row).toContain('data-access-problem="app_not_provisioned"');
    expect(row).toContain('Sync 365 not set up');
    const page = await browser.get(`${t.baseUrl}/tenants/${id(key)}`);
    expect(page.html).toContain('Sync 365 is not set up in this customer yet');
    expect(page.html).toMatch(/Application Administrator[\s\S]*then select Re-read all customers from Microsoft/);
    expect(page.html).toMatch(/id="app-in-customer">Not set up/);
    const provisionedPage = await browser.get(`${t.baseUrl}/tenants/${id(DEMO_QUIRKS.contoso.appProvisionedByImport[0])}`);
    expect(provisionedPage.html).toMatch(/id="app-in-customer">Set up by Sync 365 — added by Sync 365/);

    const csv = (await browser.get(`${t.baseUrl}/customers/export.csv`)).html.split('\r\n');
    expect(csv[0]).toMatch(/,Sync 365 app,Customer access problem$/);
    expect(csv.find((line) => line.includes(id(key)))).toMatch(/,Not set up,"?Sync 365 is not set up in this customer yet/);

    const api = await fetch(`${t.baseUrl}/api/v1/tenants/${id(key)}`, {
      headers: { accept: 'application/json', cookie: cookieOf(browser) },
    });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({
      appInCustomer: 'missing',
      customerAccessProblemKind: 'app_not_provisioned',
      customerAccessProblem: expect.stringMatching(/not set up in this customer yet/),
    });
  });

  it('keeps "provisioned by Sync 365" on the next import, and clears the problem once the app is there (Refresh)', async () => {
    const [provisioned] = DEMO_QUIRKS.contoso.appProvisionedByImport;
    const [missing] = DEMO_QUIRKS.contoso.appCannotBeProvisioned;
    const before = await access(provisioned);
    // Someone with the role adds the app (what granting Application Administrator and a Refresh would do).
    await emulatorControl(t, `customers/${id(missing)}`, { appProvisioned: true }, 'PATCH');
    // Meanwhile a new customer arrives without the app, and Partner Center fails when Sync 365 tries to add it.
    const newcomer = (await emulatorControl(t, 'customers', {
      partnerTenantId: DEMO_IDS.contosoTenant,
      companyName: 'Newcomer Kites Ltd',
      appProvisioned: false,
      gdap: { roleDefinitionIds: [GLOBAL_READER, APPLICATION_ADMINISTRATOR] },
      licences: [{ sku: 'businessBasic', quantity: 8, consumed: 5 }],
    })) as { id: string };
    await emulatorControl(t, 'faults', { method: 'POST', path: `/v1/customers/${newcomer.id}/applicationconsents`, status: 503 });

    const refreshed = await browser.post(`${t.baseUrl}/customers/refresh`, { _csrf: await csrfTokenOf(t, browser) });
    expect(refreshed.status).toBe(303);
    await eventually(async () => {
      const [run] = await t.query<{ n: number }>(`select count(*)::int as n from import_runs where status = 'completed'`);
      expect(run.n).toBe(2);
    }, 120_000);

    expect(await access(provisioned)).toMatchObject({
      app_status: 'provisioned',
      app_provisioned_at: before.app_provisioned_at,
      access_problem: null,
    });
    expect(await access(missing)).toMatchObject({ app_status: 'present', access_problem: null, access_problem_kind: null });
    const [failed] = await t.query<AccessRow>(
      'select app_status, app_provisioned_at, access_problem, access_problem_kind, purchased, last_error from customer_tenants where tenant_id = $1',
      [newcomer.id],
    );
    expect(failed).toMatchObject({ app_status: 'missing', access_problem_kind: 'app_not_provisioned', last_error: null, purchased: 8 });
    expect(failed.access_problem).toMatch(
      /not set up in this customer yet, and adding it through Partner Center failed: .*503.*tried again at the next import/,
    );
    await emulatorControl(t, 'faults', undefined, 'DELETE');
  });

  async function emulatorConsents(key: string): Promise<unknown[]> {
    const customer = (await emulatorControl(t, `customers/${id(key)}`, undefined, 'GET')) as { applicationConsents: unknown[] };
    return customer.applicationConsents;
  }

  function cookieOf(signedIn: EmulatorBrowser): string {
    return Object.entries(signedIn.cookies(t.baseUrl))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
});
