import { DEMO_CUSTOMERS, DEMO_QUIRKS, SKU_CATALOG } from '../../libs/microsoft-emulator/src';
import { catalogueName, productName } from '../../src/modules/licensing/domain/sku-catalog';
import { PartnerCenterDirectoryAdapter } from '../../src/modules/partner-center/infrastructure/microsoft/partner-center-directory.adapter';
import { SystemClock } from '../../src/shared/application/clock';
import {
  callApi,
  CONTOSO,
  control,
  expectApiFault,
  fixture,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../emulator/support/emulator-test-kit';
import { EmulatorAccessTokens } from './support/emulator-access-tokens';

// FACTS.md §7a.8: subscriptions link to the Partner Center catalogue (links.product, links.sku), and
// GET /v1/products/{productId}/skus/{skuId}?country={cc} (get-a-sku-by-id.md) gives the SKU's title: Microsoft's own
// name, better than a hand-written list for new SKUs.
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const E5_SECURITY = SKU_CATALOG.e5Security;

describe('rule: product names come from the Partner Center catalogue', () => {
  let env: TestEmulator;
  let s365: PartnerSession;

  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env?.emulator.close();
  });
  beforeEach(async () => {
    await control(env, 'POST', 'reset');
    s365 = await partnerSession(env, `s365@${CONTOSO}`);
  });

  async function requestCount(route: string): Promise<number> {
    return ((await control(env, 'GET', 'requests')).body as Record<string, number>)[route] ?? 0;
  }

  describe('the local Microsoft answers like Microsoft', () => {
    it("serves a catalogue SKU with the keys of Microsoft's sample, where a subscription's links.sku points", async () => {
      const subscriptions = (await callApi(env, `/v1/customers/${id('humongous')}/subscriptions`, s365.partnerCenterToken)).body
        .items as Record<string, any>[];
      const e5Security = subscriptions.find((s) => s.offerName === E5_SECURITY.productName)!;
      expect(e5Security.links.product.uri).toBe(`/products/${E5_SECURITY.productId}?country=US`);
      expect(e5Security.links.sku.uri).toBe(`/products/${E5_SECURITY.productId}/skus/${E5_SECURITY.skuCode}?country=US`);

      const sku = await callApi(env, `/v1${e5Security.links.sku.uri}`, s365.partnerCenterToken);

      expect(sku.status).toBe(200);
      expect(Object.keys(sku.body).sort()).toEqual(Object.keys(fixture('pc-product-sku-by-id.json')).sort());
      expect(sku.body).toMatchObject({ id: E5_SECURITY.skuCode, productId: E5_SECURITY.productId, title: 'Microsoft 365 E5 Security' });
      expect(sku.body.links.self.uri).toBe(`/products/${E5_SECURITY.productId}/skus/${E5_SECURITY.skuCode}?country=us`);
    });

    it('answers 404 400013 for an unknown product and 404 400018 for an unknown SKU, as documented', async () => {
      expectApiFault(await callApi(env, '/v1/products/DZH318Z0BQ3V/skus/00G1?country=US', s365.partnerCenterToken), 404, 400013);
      expectApiFault(
        await callApi(env, `/v1/products/${E5_SECURITY.productId}/skus/9999?country=US`, s365.partnerCenterToken),
        404,
        400018,
      );
    });

    it('needs the country, and a Partner Center token', async () => {
      expectApiFault(
        await callApi(env, `/v1/products/${E5_SECURITY.productId}/skus/${E5_SECURITY.skuCode}`, s365.partnerCenterToken),
        400,
        800002,
      );
      expect((await callApi(env, `/v1/products/${E5_SECURITY.productId}/skus/${E5_SECURITY.skuCode}?country=US`)).status).toBe(401);
    });
  });

  describe('Sync 365 against it', () => {
    const adapter = () =>
      new PartnerCenterDirectoryAdapter(
        { microsoft: { partnerCenterBaseUrl: env.url, graphBaseUrl: env.url } },
        new EmulatorAccessTokens(env, s365),
        new SystemClock(),
        {
          http: { sleep: async () => undefined },
        },
      );

    it("knows the demo's E5 Security only from the catalogue: the hand-written list does not name it", () => {
      expect(catalogueName({ skuId: E5_SECURITY.skuId, skuPartNumber: E5_SECURITY.skuPartNumber })).toBeNull();
      expect(productName({ skuId: E5_SECURITY.skuId, skuPartNumber: E5_SECURITY.skuPartNumber, partnerCenterName: null })).toBe(
        E5_SECURITY.skuPartNumber,
      );
      expect(
        productName({
          skuId: E5_SECURITY.skuId,
          skuPartNumber: E5_SECURITY.skuPartNumber,
          partnerCenterName: null,
          microsoftCatalogueName: 'Microsoft 365 E5 Security',
        }),
      ).toBe('Microsoft 365 E5 Security');
      // Microsoft's title first; the hand-written list is the fallback.
      expect(
        productName({
          skuId: SKU_CATALOG.e5.skuId,
          skuPartNumber: 'SPE_E5',
          partnerCenterName: null,
          microsoftCatalogueName: 'Microsoft 365 E5 (new name)',
        }),
      ).toBe('Microsoft 365 E5 (new name)');
      // Never a GUID.
      expect(
        productName({
          skuId: E5_SECURITY.skuId,
          skuPartNumber: E5_SECURITY.skuId,
          partnerCenterName: E5_SECURITY.skuId,
          microsoftCatalogueName: E5_SECURITY.skuId,
        }),
      ).toBe('Unnamed Microsoft product');
    });

    it('names each subscription by the catalogue title of its links.sku, asking once per SKU however many tenants hold it', async () => {
      const route = 'GET /v1/products/{productId}/skus/{skuId}';
      const directory = adapter();
      const before = await requestCount(route);

      const humongous = await directory.tenantLicences('org', 'admin', id(DEMO_QUIRKS.contoso.catalogueOnlySku.customer));
      const woodgrove = await directory.tenantLicences('org', 'admin', id('woodgrove'));

      expect(humongous.subscriptions.map((s) => [s.catalogueProductId, s.catalogueSkuId, s.catalogueName]).sort()).toEqual(
        [
          [SKU_CATALOG.e3.productId, SKU_CATALOG.e3.skuCode, 'Microsoft 365 E3'],
          [E5_SECURITY.productId, E5_SECURITY.skuCode, DEMO_QUIRKS.contoso.catalogueOnlySku.title],
          [SKU_CATALOG.copilot.productId, SKU_CATALOG.copilot.skuCode, 'Microsoft 365 Copilot'],
        ].sort(),
      );
      expect(woodgrove.subscriptions.find((s) => s.catalogueProductId === SKU_CATALOG.copilot.productId)?.catalogueName).toBe(
        'Microsoft 365 Copilot',
      );
      // Humongous's three SKUs, then only Woodgrove's two not seen yet (E5, Power BI Pro): Copilot came from the cache.
      expect((await requestCount(route)) - before).toBe(5);
    });

    it('leaves the name to the fallback when the catalogue does not know the SKU, and does not ask again', async () => {
      expect((await control(env, 'POST', 'faults', { method: 'GET', path: '/v1/products/*/skus/*', status: 404 })).status).toBe(201);
      const directory = adapter();

      const first = await directory.tenantLicences('org', 'admin', id('coho'));
      const again = await directory.tenantLicences('org', 'admin', id('coho'));

      expect(first.subscriptions.map((s) => s.catalogueName)).toEqual([null]);
      expect(again.subscriptions.map((s) => s.catalogueName)).toEqual([null]);
      expect(await requestCount('GET /v1/products/{productId}/skus/{skuId}')).toBe(1);
    });
  });
});
