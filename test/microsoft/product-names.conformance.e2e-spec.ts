import { DEMO_CUSTOMERS, DEMO_QUIRKS, SKU_CATALOG, type EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { RequestReconciliationUseCase } from '../../src/modules/reconciliation/application/request-reconciliation.use-case';
import { emulatorControl, grantConsent, signInToDashboard } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

// FACTS.md §7a.8, app level: a SKU Sync 365's hand-written list does not know is named by Partner Center's catalogue
// (its subscription's links.sku → GET /v1/products/{productId}/skus/{skuId}), the name is kept in the database, and
// no page, CSV or snapshot shows the part number or GUID as the product's name.
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const { catalogueOnlySku } = DEMO_QUIRKS.contoso;
const E5_SECURITY = SKU_CATALOG.e5Security;

describe('rule: product names from Partner Center — Sync 365 end to end against the local Microsoft', () => {
  let t: TestApp;
  let browser: EmulatorBrowser;
  let organizationId: string;
  const db = <T extends object>(sql: string, params: unknown[] = []) => t.query<T>(sql, params);
  const runs = () => db<{ id: string }>('select id from reconciliation_runs order by finished_at');

  beforeAll(async () => {
    t = first = await startTestApp();
    browser = await signInToDashboard(t, 'admin@contoso-partners.example');
    expect((await grantConsent(t, browser, 's365@contoso-partners.example')).status).toBe(303);
    await eventually(async () => expect(await runs()).toHaveLength(1), 120_000);
    [{ organization_id: organizationId }] = await db<{ organization_id: string }>('select organization_id from delegated_admins');
  }, 150_000);
  let first: TestApp;
  afterAll(async () => {
    if (t !== first) await t?.close();
    await first?.close();
  });

  it("stores the catalogue's title with the subscription", async () => {
    expect(
      await db(
        'select catalogue_product_id, catalogue_sku_id, catalogue_name from tenant_subscriptions where tenant_id = $1 and catalogue_product_id = $2',
        [id(catalogueOnlySku.customer), E5_SECURITY.productId],
      ),
    ).toEqual([
      { catalogue_product_id: E5_SECURITY.productId, catalogue_sku_id: E5_SECURITY.skuCode, catalogue_name: catalogueOnlySku.title },
    ]);
  });

  it('names the SKU on the tenant page, in the licences CSV and in the reconciliation snapshot', async () => {
    const page = (await browser.get(`${t.baseUrl}/tenants/${id(catalogueOnlySku.customer)}`)).html;
    expect(page).toContain(
      `<td><strong>${catalogueOnlySku.title}</strong></td><td><code class="small">${catalogueOnlySku.skuPartNumber}</code></td>`,
    );
    expect(page).not.toContain(`<strong>${catalogueOnlySku.skuPartNumber}</strong>`);

    const csv = (await browser.get(`${t.baseUrl}/licences/export.csv`)).html.split('\r\n');
    // Company, Tenant ID, Product, …
    expect(csv.find((line) => line.includes(E5_SECURITY.skuId))?.split(',')[2]).toBe(catalogueOnlySku.title);

    const [run] = await runs();
    expect(await db('select product_name from licence_snapshots where run_id = $1 and sku_id = $2', [run.id, E5_SECURITY.skuId])).toEqual([
      { product_name: catalogueOnlySku.title },
    ]);
  });

  it('keeps the name after a restart when the catalogue no longer names the SKU (it is in the database, not only in memory)', async () => {
    // A new process: the adapter's in-memory cache is empty, so it asks the catalogue again, which now answers 404.
    const shared = { database: t.database, emulator: t.emulator, baseUrl: t.baseUrl, config: t.config };
    await t.kill();
    t = await startTestApp({ sharing: shared });
    await emulatorControl(t, 'faults', { method: 'GET', path: '/v1/products/*/skus/*', status: 404 });
    const before =
      ((await emulatorControl(t, 'requests', undefined, 'GET')) as Record<string, number>)['GET /v1/products/{productId}/skus/{skuId}'] ??
      0;

    await t.app.get(RequestReconciliationUseCase).execute(organizationId);
    await eventually(async () => expect(await runs()).toHaveLength(2), 120_000);
    await emulatorControl(t, 'faults', undefined, 'DELETE');

    expect(
      ((await emulatorControl(t, 'requests', undefined, 'GET')) as Record<string, number>)['GET /v1/products/{productId}/skus/{skuId}'],
    ).toBeGreaterThan(before);
    const [, second] = await runs();
    expect(
      await db('select product_name from licence_snapshots where run_id = $1 and sku_id = $2', [second.id, E5_SECURITY.skuId]),
    ).toEqual([{ product_name: catalogueOnlySku.title }]);
    expect(await db('select catalogue_name from tenant_subscriptions where catalogue_product_id = $1', [E5_SECURITY.productId])).toEqual([
      { catalogue_name: catalogueOnlySku.title },
    ]);
  }, 150_000);
});
