import { DEMO_CUSTOMERS, DEMO_IDS, SKU_CATALOG } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  CONTOSO,
  control,
  controlGet,
  expectAadError,
  expectApiFault,
  graphToken,
  GRAPH_DEFAULT_SCOPE,
  partnerSession,
  refresh,
  useTestEmulator,
  type PartnerSession,
} from './support/emulator-test-kit';

const adatum = DEMO_CUSTOMERS.adatum.id;

describe('control API: scenarios and changes between two imports', () => {
  const env = useTestEmulator();
  let contoso: PartnerSession;

  beforeEach(async () => {
    contoso = await partnerSession(env, `s365@${CONTOSO}`);
  });

  const pc = (path: string) => callApi(env, path, contoso.partnerCenterToken);
  const skuOf = async (customerId: string, partNumber: string) =>
    (await pc(`/v1/customers/${customerId}/subscribedskus`)).body.items.find(
      (item: { productSku: { skuPartNumber: string } }) => item.productSku.skuPartNumber === partNumber,
    );
  const subscriptionsOf = async (customerId: string) => (await pc(`/v1/customers/${customerId}/subscriptions`)).body.items;

  it('describes the loaded scenario', async () => {
    const summary = await controlGet(env, 'scenario');

    expect(summary).toMatchObject({ name: 'demo', source: { kind: 'options' }, customers: 30 });
    expect(summary.partners.map((partner: { displayName: string; customers: number }) => [partner.displayName, partner.customers])).toEqual(
      [
        ['Contoso Partners', 25],
        ['Fabrikam Reseller', 0],
        ['Tailspin Distribution', 3],
        ['Northwind Partners', 2],
      ],
    );
  });

  it('loads a generated world (seeded, reproducible), keeps it across resets, and loads the demo back', async () => {
    const loaded = await control(env, 'POST', 'scenario', { generate: { customers: 30, seed: 7 } });
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ name: 'generated-30-7', customers: 30 });
    const session = await partnerSession(env, `s365@${CONTOSO}`);
    const firstIds = (await callApi(env, '/v1/customers', session.partnerCenterToken)).body.items.map((item: { id: string }) => item.id);
    expect(firstIds).toHaveLength(30);

    await control(env, 'POST', 'reset');
    await control(env, 'POST', 'scenario', { generate: { customers: 30, seed: 7 } });
    const again = await partnerSession(env, `s365@${CONTOSO}`);
    expect((await callApi(env, '/v1/customers', again.partnerCenterToken)).body.items.map((item: { id: string }) => item.id)).toEqual(
      firstIds,
    );
    expect((await controlGet(env, 'scenario')).source).toEqual({ kind: 'generate', customers: 30, seed: 7 });

    await control(env, 'POST', 'scenario', { scenario: 'demo' });
    const demo = await partnerSession(env, `s365@${CONTOSO}`);
    expect((await callApi(env, '/v1/customers', demo.partnerCenterToken)).body.items).toHaveLength(25);
  });

  it('refuses an unknown scenario body', async () => {
    expect((await control(env, 'POST', 'scenario', { scenario: 'nope' })).status).toBe(400);
    expect((await control(env, 'POST', 'scenario', { generate: { customers: -1, seed: 1 } })).status).toBe(400);
  });

  it("sets a subscribed SKU's consumed and prepaid units", async () => {
    const response = await control(env, 'PATCH', `customers/${adatum}/subscribed-skus/${SKU_CATALOG.e3.skuId}`, {
      consumedUnits: 60,
      prepaidUnits: { enabled: 50, warning: 2 },
    });

    expect(response.status).toBe(200);
    expect(await skuOf(adatum, 'SPE_E3')).toMatchObject({
      consumedUnits: 60,
      activeUnits: 50,
      warningUnits: 2,
      totalUnits: 52,
      availableUnits: -8,
    });
    const graph = (await callApi(env, '/v1.0/subscribedSkus', await graphToken(env, contoso.refreshToken, adatum))).body.value;
    expect(graph.find((sku: { skuPartNumber: string }) => sku.skuPartNumber === 'SPE_E3')).toMatchObject({
      consumedUnits: 60,
      prepaidUnits: { enabled: 50, warning: 2 },
    });
  });

  it("sets a subscription's quantity, status and auto-renew; the licences follow", async () => {
    const [e3] = await subscriptionsOf(adatum);

    await control(env, 'PATCH', `customers/${adatum}/subscriptions/${e3.id}`, { quantity: 45, autoRenewEnabled: false });
    expect((await subscriptionsOf(adatum))[0]).toMatchObject({ quantity: 45, autoRenewEnabled: false, status: 'active' });
    expect((await skuOf(adatum, 'SPE_E3')).activeUnits).toBe(45);

    await control(env, 'PATCH', `customers/${adatum}/subscriptions/${e3.id}`, { status: 'suspended' });
    expect((await subscriptionsOf(adatum))[0].status).toBe('suspended');
    expect(await skuOf(adatum, 'SPE_E3')).toMatchObject({ activeUnits: 0, suspendedUnits: 45, capabilityStatus: 'Suspended' });
  });

  it('refuses invalid changes and unknown records', async () => {
    const [e3] = await subscriptionsOf(adatum);

    expect((await control(env, 'PATCH', `customers/${adatum}/subscriptions/${e3.id}`, { status: 'sleeping' })).status).toBe(400);
    expect((await control(env, 'PATCH', `customers/${adatum}/subscriptions/${e3.id}`, { quantity: -1 })).status).toBe(400);
    expect(
      (await control(env, 'PATCH', `customers/${adatum}/subscribed-skus/${SKU_CATALOG.e3.skuId}`, { prepaidUnits: { enabled: 'x' } }))
        .status,
    ).toBe(400);
    expect(
      (await control(env, 'PATCH', `customers/${adatum}/subscriptions/00000000-0000-4000-8000-000000000000`, { quantity: 1 })).status,
    ).toBe(404);
    expect((await control(env, 'PATCH', 'gdap-relationships/nope', { status: 'active' })).status).toBe(404);
  });

  it('adds a customer with licences and a GDAP relationship; Partner Center and Graph see it', async () => {
    const added = await control(env, 'POST', 'customers', {
      partnerTenantId: DEMO_IDS.contosoTenant,
      companyName: 'Fabrikam Fiber',
      domain: 'fabrikamfiber.example',
      licences: [{ sku: 'businessPremium', quantity: 12, consumed: 4, term: 'P1M' }],
      gdap: true,
    });

    expect(added.status).toBe(201);
    const list = (await pc('/v1/customers')).body.items.map(
      (item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName,
    );
    expect(list).toHaveLength(26);
    expect(list).toContain('Fabrikam Fiber');
    expect((await pc(`/v1/customers/${added.body.id}`)).body.companyProfile.domain).toBe('fabrikamfiber.example');
    expect(await skuOf(added.body.id, 'SPB')).toMatchObject({ activeUnits: 12, consumedUnits: 4 });
    expect(await subscriptionsOf(added.body.id)).toEqual([expect.objectContaining({ quantity: 12, termDuration: 'P1M' })]);
    const token = await graphToken(env, contoso.refreshToken, added.body.id);
    expect((await callApi(env, '/v1.0/subscribedSkus', token)).body.value).toHaveLength(1);
    expect(
      (
        await control(env, 'POST', 'customers', {
          partnerTenantId: DEMO_IDS.contosoTenant,
          companyName: 'Again',
          domain: 'fabrikamfiber.example',
        })
      ).status,
    ).toBe(409);
    expect((await control(env, 'POST', 'customers', { partnerTenantId: adatum, companyName: 'Wrong partner' })).status).toBe(400);
  });

  it('removes a customer: gone from Partner Center, no more Graph tokens for it', async () => {
    expect((await control(env, 'DELETE', `customers/${adatum}`)).status).toBe(200);

    expect((await pc('/v1/customers')).body.items).toHaveLength(24);
    expectApiFault(await pc(`/v1/customers/${adatum}`), 404, 60003);
    expectAadError(await refresh(env, contoso.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, adatum), 400, 'invalid_request', 90002);
    expect((await control(env, 'DELETE', `customers/${adatum}`)).status).toBe(404);
  });

  it("changes a GDAP relationship's status: an expired one made active lets the partner in again", async () => {
    const relationships = (
      await callApi(env, '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300', await graphToken(env, contoso.refreshToken))
    ).body.value;
    const trey = relationships.find(
      (relationship: { customer: { tenantId: string } }) => relationship.customer.tenantId === DEMO_CUSTOMERS.trey.id,
    );
    expectAadError(
      await refresh(env, contoso.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, DEMO_CUSTOMERS.trey.id),
      400,
      'invalid_grant',
      50020,
    );

    expect((await control(env, 'PATCH', `gdap-relationships/${trey.id}`, { status: 'active' })).body).toEqual({
      id: trey.id,
      status: 'active',
    });

    expect((await refresh(env, contoso.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, DEMO_CUSTOMERS.trey.id)).status).toBe(200);
  });

  it('goes back to the loaded scenario on reset', async () => {
    const [e3] = await subscriptionsOf(adatum);
    await control(env, 'PATCH', `customers/${adatum}/subscriptions/${e3.id}`, { quantity: 99 });
    await control(env, 'DELETE', `customers/${DEMO_CUSTOMERS.coho.id}`);

    await control(env, 'POST', 'reset');
    contoso = await partnerSession(env, `s365@${CONTOSO}`);

    expect((await subscriptionsOf(adatum))[0].quantity).toBe(50);
    expect((await pc('/v1/customers')).body.items).toHaveLength(25);
  });
});
