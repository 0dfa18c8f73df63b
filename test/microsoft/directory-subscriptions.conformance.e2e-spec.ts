import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, SKU_CATALOG, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { LicensingQueries } from '../../src/modules/licensing';
import { grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

// FACTS.md §7a.6, app level: "not sold by you" follows Graph's ownerTenantId (the partner tenant that sold it), the
// commerceSubscriptionId match only links subscriptions; locked-out units (prepaidUnits.lockedOut) are read and shown.
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const { lockedOut } = DEMO_QUIRKS.contoso;
const VISIO = SKU_CATALOG.visioPlan2.skuId;

describe('rule: who sold it and locked-out units — Sync 365 end to end against the local Microsoft', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;
  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const matchesOf = (key: string) =>
    RequestContext.create(t.app.get(MikroORM).em, () =>
      t.app.get(LicensingQueries, { strict: false }).subscriptionMatches(organizationId, id(key)),
    );

  beforeAll(async () => {
    t = await startTestApp();
    browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    expect((await grantConsent(t, browser, 's365@contoso-partners.example')).status).toBe(303);
    await eventually(async () => expect(await db('select 1 from reconciliation_runs')).toHaveLength(1), 120_000);
    [{ organization_id: organizationId }] = await db<{ organization_id: string }>('select organization_id from delegated_admins');
  }, 150_000);
  afterAll(async () => {
    await t?.close();
  });

  it("stores who sold each directory subscription: Contoso's own, another partner's (LockedOut), Microsoft direct", async () => {
    const rows = await db<{
      tenant_id: string;
      sku_part_number: string;
      status: string;
      owner_tenant_id: string | null;
      sold_by_you: boolean | null;
    }>(
      'select tenant_id, sku_part_number, status, owner_tenant_id, sold_by_you from tenant_directory_subscriptions where tenant_id = any($1::uuid[])',
      [[id(lockedOut.customer), id('margies')]],
    );
    const of = (key: string, sku: string) => rows.find((r) => r.tenant_id === id(key) && r.sku_part_number === sku);
    expect(of(lockedOut.customer, 'VISIOCLIENT')).toMatchObject({
      status: 'LockedOut',
      owner_tenant_id: lockedOut.ownerTenantId,
      sold_by_you: false,
    });
    expect(of(lockedOut.customer, 'POWER_BI_PRO')).toMatchObject({
      status: 'Enabled',
      owner_tenant_id: DEMO_IDS.contosoTenant,
      sold_by_you: true,
    });
    expect(of('margies', 'VISIOCLIENT')).toMatchObject({ owner_tenant_id: null, sold_by_you: false });
  });

  it('shows the LockedOut Visio as not sold by you, naming the partner that sold it', async () => {
    const matches = await matchesOf(lockedOut.customer);

    expect(matches.directorySubscriptions.find((s) => s.skuId === VISIO)).toMatchObject({
      status: 'LockedOut',
      soldByYou: false,
      ownerTenantId: lockedOut.ownerTenantId,
      partnerCenter: null,
    });
    expect(matches.skus.find((s) => s.skuId === VISIO)).toMatchObject({ soldByYou: false });
    expect(matches.skus.filter((s) => s.skuId !== VISIO).every((s) => s.soldByYou === true)).toBe(true);
  });

  it("shows the locked-out units on the tenant's licences, in the CSV, the API and the reconciliation snapshot", async () => {
    const page = (await browser.get(`${t.baseUrl}/tenants/${id(lockedOut.customer)}`)).html;
    const visioRow = page.slice(page.indexOf('data-sku="VISIOCLIENT"'), page.indexOf('</tr>', page.indexOf('data-sku="VISIOCLIENT"')));
    expect(page).toContain('Locked out');
    expect(visioRow).toContain(`<td class="num">${lockedOut.lockedOutUnits}</td>`);

    const csv = (await browser.get(`${t.baseUrl}/licences/export.csv`)).html.split('\r\n');
    expect(csv[0].endsWith(',Locked out')).toBe(true);
    expect(
      csv
        .find((line) => line.includes(`,${id(lockedOut.customer)},`) && line.includes('VISIOCLIENT'))
        ?.endsWith(`,${lockedOut.lockedOutUnits}`),
    ).toBe(true);

    const [run] = await db<{ id: string }>('select id from reconciliation_runs');
    expect(
      await db('select locked_out from licence_snapshots where run_id = $1 and tenant_id = $2 and sku_id = $3', [
        run.id,
        id(lockedOut.customer),
        VISIO,
      ]),
    ).toEqual([{ locked_out: lockedOut.lockedOutUnits }]);
    // No seats are paid for, so nothing is raised as "not sold by you" (it is not on sale to anyone).
    expect(
      await db('select kind from discrepancies where run_id = $1 and tenant_id = $2 and sku_id = $3', [
        run.id,
        id(lockedOut.customer),
        VISIO,
      ]),
    ).toEqual([]);
  });
});
