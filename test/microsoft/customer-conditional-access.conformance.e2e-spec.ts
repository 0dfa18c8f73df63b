import { DEMO_CUSTOMERS, DEMO_QUIRKS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN = 'admin@contoso-partners.example';
const S365 = 's365@contoso-partners.example';
const id = (key: string) => DEMO_CUSTOMERS[key].id;

interface Row {
  access_problem: string | null;
  access_problem_kind: string | null;
  purchased: number | null;
  last_error: string | null;
}

// FACTS §7a.7 through the whole product: AADSTS50076 / 53003 / 53000 from one customer's directory mark that
// tenant with the cause and fix; the delegated admin keeps working (no "Needs re-consent").
describe('Conformance: one customer’s refusal stays that customer’s (product, e2e through the local Microsoft)', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  const row = async (key: string): Promise<Row> =>
    (
      await t.query<Row>('select access_problem, access_problem_kind, purchased, last_error from customer_tenants where tenant_id = $1', [
        id(key),
      ])
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    // Two more customers with policies of their own, besides the demo's blocking one.
    await emulatorControl(t, `customers/${id('alpine')}`, { conditionalAccess: 'mfa' }, 'PATCH');
    await emulatorControl(t, `customers/${id('bellows')}`, { conditionalAccess: 'compliantDevice' }, 'PATCH');
    browser = await signInToDashboard(t, ADMIN);
    expect((await grantConsent(t, browser, S365)).status).toBe(303);
    await eventually(async () => {
      const [run] = await t.query<{ status: string }>('select status from import_runs order by started_at desc limit 1');
      expect(run?.status).toBe('completed');
    }, 120_000);
  }, 150_000);

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    [
      DEMO_QUIRKS.contoso.conditionalAccessBlocked[0],
      /Conditional Access policy blocks sign-ins by your service provider accounts.*AADSTS53003/,
    ],
    ['alpine', /Conditional Access policy requires multi-factor authentication.*AADSTS50076/],
    ['bellows', /Conditional Access policy requires a compliant or managed device.*AADSTS53000/],
  ])('marks %s with the plain cause and the fix; its Partner Center licences are still read', async (key, cause) => {
    const tenant = await row(key);

    expect(tenant).toMatchObject({ access_problem_kind: 'conditional_access', last_error: null });
    expect(tenant.access_problem).toMatch(cause);
    expect(tenant.access_problem).toMatch(/exclude service provider users/);
    expect(tenant.purchased).toBeGreaterThan(0);
  });

  it('leaves the delegated admin working, with no re-consent audited or announced', async () => {
    expect(await t.query('select status, status_reason from delegated_admins where account_upn = $1', [S365])).toEqual([
      { status: 'active', status_reason: null },
    ]);
    expect(await t.query(`select count(*)::int as n from audit_entries where action = 'consent.reconsent-needed'`)).toEqual([{ n: 0 }]);
    expect(await row('adatum')).toMatchObject({ access_problem: null, access_problem_kind: null });
  });

  it('shows the refusal on the customers list and the tenant page', async () => {
    const [key] = DEMO_QUIRKS.contoso.conditionalAccessBlocked;

    const list = await browser.get(`${t.baseUrl}/customers`);
    const line = new RegExp(`<tr data-tenant="${id(key)}">[\\s\\S]*?</tr>`).exec(list.html)?.[0] ?? '';
    expect(line).toContain('Blocked by customer policy');
    const page = await browser.get(`${t.baseUrl}/tenants/${id(key)}`);
    expect(page.html).toContain('This customer’s Conditional Access blocks Sync 365');
    expect(page.html).toContain('exclude service provider users');
  });
});
