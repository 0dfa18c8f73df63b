import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { DEMO_CUSTOMERS, DEMO_QUIRKS, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { LicensingQueries, type SubscriptionMatchesView, type SubscriptionView } from '../../src/modules/licensing';
import { grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

const ADMIN = 'admin@contoso-partners.example';
const S365 = 's365@contoso-partners.example';
const id = (key: string) => DEMO_CUSTOMERS[key].id;

// The import reads each customer's own directory subscriptions through GDAP, with the real consent vault, and
// matches them to Partner Center's subscriptions.
describe("matching Partner Center subscriptions to the customers' directories (e2e through the local Microsoft)", () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;

  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);

  // Outside an HTTP request or a job, MikroORM needs a context of its own.
  const inContext = <T>(work: (queries: LicensingQueries) => Promise<T>): Promise<T> =>
    RequestContext.create(t.app.get(MikroORM).em, () => work(t.app.get(LicensingQueries, { strict: false })));
  const matchesOf = (key: string): Promise<SubscriptionMatchesView> =>
    inContext((queries) => queries.subscriptionMatches(organizationId, id(key)));
  const subscriptionsOf = (key: string): Promise<SubscriptionView[]> =>
    inContext((queries) => queries.subscriptionsOfTenant(organizationId, id(key)));

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, ADMIN);
    expect((await grantConsent(t, browser, S365)).status).toBe(303);
    await eventually(async () => {
      const [run] = await db<{ status: string }>('select status from import_runs order by started_at desc limit 1');
      expect(run?.status).toBe('completed');
    }, 120_000);
    [{ organization_id: organizationId }] = await db<{ organization_id: string }>(
      'select organization_id from delegated_admins where account_upn = $1',
      [S365],
    );
  }, 150_000);

  afterAll(async () => {
    await t?.close();
  });

  it("flags Margie's Visio Plan 2, bought elsewhere, as not sold by you and matches her Business Standard", async () => {
    const matches = await matchesOf(DEMO_QUIRKS.contoso.boughtElsewhere.customer);

    expect(matches.directory).toEqual({ readAt: expect.any(String), failure: null });
    const visio = matches.directorySubscriptions.find((s) => s.skuPartNumber === DEMO_QUIRKS.contoso.boughtElsewhere.skuPartNumber);
    expect(visio).toMatchObject({ productName: 'Visio Plan 2', totalLicenses: 5, status: 'Enabled', partnerCenter: null });
    const standard = matches.directorySubscriptions.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM');
    expect(standard?.partnerCenter).toMatchObject({ quantity: 14, status: 'active' });
    expect(matches.skus.map((s) => [s.productName, s.soldByYou])).toEqual([
      ['Microsoft 365 Business Standard', true],
      ['Visio Plan 2', false],
    ]);
    expect(matches.partnerCenterOnly).toEqual([]);
  });

  it("matches every one of Adatum's subscriptions, and gives each Partner Center subscription its SKU and tenant units", async () => {
    const matches = await matchesOf('adatum');

    expect(matches.directorySubscriptions.length).toBeGreaterThan(0);
    expect(matches.directorySubscriptions.every((s) => s.partnerCenter !== null)).toBe(true);
    expect(matches.partnerCenterOnly).toEqual([]);
    expect(matches.skus.map((s) => s.soldByYou)).toEqual(matches.skus.map(() => true));
    const subscriptions = await subscriptionsOf('adatum');
    expect(subscriptions.length).toBe(matches.directorySubscriptions.length);
    for (const subscription of subscriptions) {
      expect(subscription.skuId).toMatch(/^[0-9a-f-]{36}$/);
      expect(subscription.tenantUnits).toBe(subscription.quantity);
    }
  });

  it('reads a customer without a GDAP relationship, keeps its directory unknown with the reason, and leaves the consent working', async () => {
    const [tenant] = await db<{ last_error: string | null }>('select last_error from customer_tenants where tenant_id = $1', [
      id('wideworld'),
    ]);
    expect(tenant).toEqual({ last_error: null });

    const matches = await matchesOf('wideworld');

    expect(matches.directory).toEqual({
      readAt: null,
      failure: { reason: expect.stringMatching(/AADSTS50020.*GDAP relationship/), at: expect.any(String) },
    });
    expect(matches.partnerCenterOnly).toBeNull();
    // Without GDAP, Partner Center does not list its licences either (FACTS.md §7a.3): no SKU is known to be, or not to
    // be, sold by you. Its Partner Center subscriptions are read.
    expect(matches.skus).toEqual([]);
    expect((await subscriptionsOf('wideworld')).length).toBeGreaterThan(0);
    expect(await db<{ status: string }>('select status from delegated_admins where account_upn = $1', [S365])).toEqual([
      { status: 'active' },
    ]);
  });

  it('stores the directory subscriptions of every customer it could read, each under its own organization', async () => {
    const rows = await db<{ tenants: number; other_organizations: number }>(
      'select count(distinct tenant_id)::int as tenants, count(*) filter (where organization_id <> $1)::int as other_organizations from tenant_directory_subscriptions',
      [organizationId],
    );
    // No usable GDAP, no role that may read licences, the app not provisioned and impossible to provision (no
    // Application Administrator), or the customer's Conditional Access: the directory stays unread. Munson's app is
    // provisioned by the import and read.
    const { gdap, appCannotBeProvisioned, conditionalAccessBlocked } = DEMO_QUIRKS.contoso;
    const unreadable =
      gdap.absent.length +
      gdap.expired.length +
      gdap.withoutLicenceReadingRole.length +
      appCannotBeProvisioned.length +
      conditionalAccessBlocked.length;
    expect(rows).toEqual([{ tenants: DEMO_QUIRKS.contoso.customers - unreadable, other_organizations: 0 }]);
  });
});
