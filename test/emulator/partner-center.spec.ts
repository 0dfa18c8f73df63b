import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_MPN_IDS } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  claimsOf,
  CONTOSO,
  control,
  expectApiFault,
  FABRIKAM,
  fixture,
  graphToken,
  partnerSession,
  TAILSPIN,
  useTestEmulator,
  type ApiResponse,
} from './support/emulator-test-kit';

const customersSample = fixture('pc-customers-list.json');
const customerSample = fixture('pc-customer-by-id.json');
const subscriptionsSample = fixture('pc-subscriptions-list.json');
const subscribedSkusSample = fixture('pc-subscribedskus-list.json');
const invoicesSample = fixture('pc-invoices-list.json');
const relationshipsSample = fixture('pc-relationships-indirect-resellers.json');

// Fields the emulator's subscriptions carry beyond Microsoft's (shortened) sample, all documented in
// subscription-resources.md / the SDK's Subscription class.
const SUBSCRIPTION_EXTRAS = [
  'actions',
  'billingCycle',
  'cancellationAllowedUntilDate',
  'hasPurchasableAddons',
  'isMicrosoftProduct',
  'isTrial',
  'offerId',
  'offerName',
  'partnerId',
  'productType',
  'publisherName',
  // New commerce (FACTS §2.6, §7a.4): seats reducible now, the change scheduled for renewal, the next term.
  'refundableQuantity',
  'renewalTermDuration',
  'scheduledNextTermInstructions',
  'termDuration',
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// The key structure of a JSON value: object keys (sorted) all the way down, first array item only.
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

function keys(value: object): string[] {
  return Object.keys(value).sort();
}

const contosoCustomers = Object.values(DEMO_CUSTOMERS).filter((customer) => customer.partnerTenantId === DEMO_IDS.contosoTenant);

describe('Partner Center', () => {
  const env = useTestEmulator();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // Access tokens are verified statelessly, so they survive the reset before each test.
    for (const user of [`s365@${CONTOSO}`, `admin@${CONTOSO}`, `sales@${CONTOSO}`, `s365@${FABRIKAM}`, `s365@${TAILSPIN}`]) {
      tokens[user] = (await partnerSession(env, user)).partnerCenterToken;
    }
    tokens[`nomfa@${CONTOSO}`] = (await partnerSession(env, `nomfa@${CONTOSO}`)).partnerCenterToken;
  });

  const pc = (path: string, user = `s365@${CONTOSO}`, init: Parameters<typeof callApi>[3] = {}): Promise<ApiResponse> =>
    callApi(env, path, tokens[user], init);

  async function allCustomerPages(firstPath: string): Promise<ApiResponse[]> {
    const pages = [await pc(firstPath)];
    for (let next = pages[0].body.links.next; next; next = pages[pages.length - 1].body.links.next) {
      // Follow links.next verbatim; a uri without /v1 is relative to the API root, /v1.
      const uri: string = next.uri.startsWith('/v1/') ? next.uri : `/v1${next.uri}`;
      const headers = Object.fromEntries(next.headers.map((header: { key: string; value: string }) => [header.key, header.value]));
      pages.push(await pc(uri, `s365@${CONTOSO}`, { headers }));
      if (pages.length > 50) throw new Error('paging does not end');
    }
    return pages;
  }

  describe('GET /v1/customers', () => {
    it.each([
      ['with the /v1 prefix (default)', '/v1', /^\/v1\/customers\?size=10&seekOperation=Next$/],
      ['without the /v1 prefix', '', /^\/customers\?size=10&seekOperation=Next$/],
    ])('pages 25 customers by 10 through links.next and MS-ContinuationToken, uri %s', async (_label, prefix, nextUri) => {
      await control(env, 'POST', 'settings', { partnerCenter: { nextLinkPrefix: prefix } });

      const pages = await allCustomerPages('/v1/customers?size=10');

      expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
      expect(pages.map((page) => page.body.items.length)).toEqual([10, 10, 5]);
      expect(pages.map((page) => page.body.totalCount)).toEqual([10, 10, 5]);
      const next = pages[0].body.links.next;
      expect(next.uri).toMatch(nextUri);
      expect(next.method).toBe('GET');
      expect(next.headers).toEqual([{ key: 'MS-ContinuationToken', value: expect.any(String) }]);
      expect(pages[0].body.continuationToken).toBe(next.headers[0].value);
      expect(pages[0].body.links.self.uri).toBe(`${prefix}/customers?size=10`);
      expect(pages[2].body.links.next).toBeUndefined();
      expect(pages[2].body.continuationToken).toBeUndefined();
      const ids = pages.flatMap((page) => page.body.items.map((item: { id: string }) => item.id));
      expect(new Set(ids).size).toBe(25);
      expect([...ids].sort()).toEqual(contosoCustomers.map((customer) => customer.id).sort());
      const names = pages.flatMap((page) =>
        page.body.items.map((item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName.toLowerCase()),
      );
      expect(names).toEqual([...names].sort());
    });

    it('answers in the shape of Microsoft sample, list items without allowDelegatedAccess', async () => {
      const response = await pc('/v1/customers?size=3');

      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(shape(response.body.items[0])).toEqual(shape(customersSample.items[0]));
      expect(keys(response.body)).toEqual(['attributes', 'continuationToken', 'items', 'links', 'totalCount']);
      expect(response.body.attributes).toEqual({ objectType: 'Collection' });
      expect(response.body.items[0]).not.toHaveProperty('allowDelegatedAccess');
      expect(response.body.items[0]).toMatchObject({
        id: DEMO_CUSTOMERS.adatum.id,
        companyProfile: { tenantId: DEMO_CUSTOMERS.adatum.id, companyName: 'Adatum Corporation', domain: 'adatum.example' },
      });
    });

    it.each([
      ['CompanyName', 'l', ['Lamna Healthcare Company', 'Litware, Inc.', 'Lucerne Publishing']],
      ['CompanyName', 'LI', ['Litware, Inc.']],
      ['Domain', 'WOODGROVE', ['Woodgrove Bank']],
      ['CompanyName', 'zz', []],
    ])('filters on %s starting with "%s", case-insensitively', async (field, value, expected) => {
      const filter = encodeURIComponent(JSON.stringify({ Field: field, Value: value, Operator: 'starts_with' }));

      const response = await pc(`/v1/customers?size=0&filter=${filter}`);

      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName)).toEqual(
        expected,
      );
    });

    it('pages a filtered list, keeping the filter in the continuation', async () => {
      const filter = encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: 'b', Operator: 'starts_with' }));

      const pages = await allCustomerPages(`/v1/customers?size=2&filter=${filter}`);

      expect(
        pages.map((page) => page.body.items.map((item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName)),
      ).toEqual([['Bellows College', 'Best For You Organics Company'], ['Blue Yonder Airlines']]);
    });

    it('lists only the calling partner customers', async () => {
      const tailspin = await callApi(env, '/v1/customers?size=50', tokens[`s365@${TAILSPIN}`]);

      expect(tailspin.body.items.map((item: { companyProfile: { companyName: string } }) => item.companyProfile.companyName)).toEqual([
        "Liberty's Delightful Sinful Bakery & Cafe",
        'School of Fine Art',
        'Wingtip Toys',
      ]);
      // An indirect provider sees the reseller of record.
      expect(tailspin.body.items[0].associatedPartnerId).toBe(DEMO_MPN_IDS.fabrikam);
    });

    it('refuses seekOperation=Next without MS-ContinuationToken, a bad token, a bad filter and a bad size', async () => {
      expectApiFault(await pc('/v1/customers?seekOperation=Next'), 400, 800002);
      expectApiFault(
        await pc('/v1/customers?seekOperation=Next', `s365@${CONTOSO}`, { headers: { 'MS-ContinuationToken': 'not-a-token' } }),
        400,
        800002,
      );
      expectApiFault(
        await pc(`/v1/customers?filter=${encodeURIComponent('{"Field":"Nope","Value":"a","Operator":"starts_with"}')}`),
        400,
        800002,
      );
      expectApiFault(await pc('/v1/customers?filter=%7Bnot-json'), 400, 800002);
      expectApiFault(await pc('/v1/customers?size=-1'), 400, 800002);
    });

    it("refuses another partner's continuation token", async () => {
      const first = await pc('/v1/customers?size=2');
      const token = first.body.continuationToken;

      const replay = await callApi(env, '/v1/customers?seekOperation=Next', tokens[`s365@${TAILSPIN}`], {
        headers: { 'MS-ContinuationToken': token },
      });

      expectApiFault(replay, 400, 800002);
    });
  });

  describe('GET /v1/customers/{id}', () => {
    it('returns the customer with every key of Microsoft sample', async () => {
      const response = await pc(`/v1/customers/${DEMO_CUSTOMERS.coho.id}`);

      expect(response.status).toBe(200);
      expect(shape(response.body)).toEqual(shape(customerSample));
      expect(response.body).toMatchObject({
        id: DEMO_CUSTOMERS.coho.id,
        companyProfile: {
          tenantId: DEMO_CUSTOMERS.coho.id,
          companyName: 'Coho Winery',
          domain: 'cohowinery.example',
          address: { city: 'Napa', country: 'US' },
        },
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: false,
        customDomains: ['cohowinery.example'],
        links: { self: { uri: `/customers/${DEMO_CUSTOMERS.coho.id}`, method: 'GET', headers: [] } },
        attributes: { objectType: 'Customer' },
      });
    });

    it('answers 404 for an unknown tenant', async () => {
      expectApiFault(await pc('/v1/customers/00000000-0000-4000-8000-000000000000'), 404, 60003);
    });

    it('answers 403 20002 for a customer of another partner', async () => {
      const response = await pc(`/v1/customers/${DEMO_CUSTOMERS.wingtip.id}`);

      expectApiFault(response, 403, 20002);
      expect(response.body.description).toBe(
        `The partner ID ${DEMO_IDS.contosoTenant} has no commerce relationship with the customer ID ${DEMO_CUSTOMERS.wingtip.id}`,
      );
    });
  });

  describe('subscriptions', () => {
    it('lists the customer subscriptions with the keys of Microsoft sample plus documented extras', async () => {
      const response = await pc(`/v1/customers/${DEMO_CUSTOMERS.adatum.id}/subscriptions`);

      expect(response.status).toBe(200);
      expect(keys(response.body)).toEqual(keys(subscriptionsSample));
      expect(response.body.totalCount).toBe(2);
      const [e3] = response.body.items;
      const sampleKeys = keys(subscriptionsSample.items[0]);
      expect(keys(e3)).toEqual([...sampleKeys, ...SUBSCRIPTION_EXTRAS].sort());
      expect(keys(e3.links)).toEqual(expect.arrayContaining(keys(subscriptionsSample.items[0].links)));
      expect(e3).toMatchObject({
        offerName: 'Microsoft 365 E3',
        quantity: 50,
        termDuration: 'P1Y',
        billingCycle: 'annual',
        status: 'active',
        isTrial: false,
        partnerId: DEMO_MPN_IDS.contoso,
      });
      for (const field of ['creationDate', 'effectiveStartDate', 'commitmentEndDate', 'cancellationAllowedUntilDate'])
        expect(e3[field]).toMatch(ISO_DATE);
      // New commerce: the cancellation window is the first 7 days of the term.
      expect(Date.parse(e3.cancellationAllowedUntilDate) - Date.parse(e3.effectiveStartDate)).toBe(7 * 24 * 60 * 60 * 1000);
      expect(response.body.items[1]).toMatchObject({ offerName: 'Power BI Pro', termDuration: 'P1M', billingCycle: 'monthly' });
    });

    it('returns one subscription by id, and 404 20003 for an unknown one', async () => {
      const list = await pc(`/v1/customers/${DEMO_CUSTOMERS.adatum.id}/subscriptions`);
      const id = list.body.items[0].id;

      expect((await pc(`/v1/customers/${DEMO_CUSTOMERS.adatum.id}/subscriptions/${id}`)).body.id).toBe(id);
      expectApiFault(await pc(`/v1/customers/${DEMO_CUSTOMERS.adatum.id}/subscriptions/00000000-0000-4000-8000-000000000000`), 404, 20003);
    });

    it('shows the quirks: suspended, expired and trial subscriptions', async () => {
      const cityPower = (await pc(`/v1/customers/${DEMO_CUSTOMERS.citypower.id}/subscriptions`)).body.items;
      const lucerne = (await pc(`/v1/customers/${DEMO_CUSTOMERS.lucerne.id}/subscriptions`)).body.items;
      const relecloud = (await pc(`/v1/customers/${DEMO_CUSTOMERS.relecloud.id}/subscriptions`)).body.items;

      expect(cityPower.map((item: { status: string }) => item.status)).toEqual(['suspended', 'active', 'active']);
      expect(cityPower[0].suspensionReasons).toEqual(['PartnerInitiated']);
      expect(lucerne.map((item: { status: string }) => item.status)).toEqual(['active', 'expired', 'active']);
      expect(lucerne[1].autoRenewEnabled).toBe(false);
      expect(relecloud.filter((item: { isTrial: boolean }) => item.isTrial).map((item: { offerName: string }) => item.offerName)).toEqual([
        'Microsoft 365 Copilot',
      ]);
    });
  });

  describe('GET /v1/customers/{id}/subscribedskus', () => {
    it('has exactly the keys of Microsoft sample', async () => {
      const response = await pc(`/v1/customers/${DEMO_CUSTOMERS.vanarsdel.id}/subscribedskus`);

      expect(response.status).toBe(200);
      expect(keys(response.body)).toEqual(keys(subscribedSkusSample));
      expect(shape(response.body.items[0])).toEqual(shape(subscribedSkusSample.items[0]));
      expect(response.body.items.map((item: { productSku: { skuPartNumber: string } }) => item.productSku.skuPartNumber)).toEqual([
        'SPB',
        'POWER_BI_PRO',
        'VISIOCLIENT',
      ]);
      expect(response.body.items[1]).toMatchObject({
        availableUnits: 2,
        activeUnits: 20,
        consumedUnits: 18,
        suspendedUnits: 0,
        totalUnits: 20,
        warningUnits: 0,
        productSku: { id: 'f8a1db68-be16-40ed-86d5-cb42ce701560', name: 'Power BI Pro', targetType: 'User', licenseGroupId: 'group1' },
        capabilityStatus: 'Enabled',
      });
    });

    it('shows over-assigned, suspended and warning units, and a licence bought elsewhere', async () => {
      const bySku = async (key: string) =>
        Object.fromEntries(
          (await pc(`/v1/customers/${DEMO_CUSTOMERS[key].id}/subscribedskus`)).body.items.map(
            (item: { productSku: { skuPartNumber: string } }) => [item.productSku.skuPartNumber, item],
          ),
        );

      expect((await bySku('coho')).SPB).toMatchObject({ activeUnits: 12, consumedUnits: 15, availableUnits: -3, totalUnits: 12 });
      expect((await bySku('citypower')).SPE_E3).toMatchObject({ activeUnits: 5, suspendedUnits: 25, consumedUnits: 5, totalUnits: 5 });
      expect((await bySku('lucerne')).O365_BUSINESS_PREMIUM).toMatchObject({
        activeUnits: 10,
        warningUnits: 5,
        totalUnits: 15,
        consumedUnits: 9,
      });
      expect((await bySku('margies')).VISIOCLIENT).toMatchObject({ activeUnits: 5, consumedUnits: 2 });
    });
  });

  describe('PATCH /v1/customers/{id}/subscriptions/{id}', () => {
    async function subscription(
      customerKey: string,
      offerName: string,
      index = 0,
    ): Promise<{ id: string; quantity: number; attributes: { etag: string } }> {
      const items = (await pc(`/v1/customers/${DEMO_CUSTOMERS[customerKey].id}/subscriptions`)).body.items.filter(
        (item: { offerName: string }) => item.offerName === offerName,
      );
      return items[index];
    }

    const patch = (customerKey: string, id: string, body: unknown) =>
      pc(`/v1/customers/${DEMO_CUSTOMERS[customerKey].id}/subscriptions/${id}`, `s365@${CONTOSO}`, { method: 'PATCH', body });

    it('raises the quantity, answers with the updated subscription and the tenant licences follow', async () => {
      // Humongous Insurance's E3 answers at once (Adatum's E3 answers 202: pending-subscription-change.conformance).
      const before = await subscription('humongous', 'Microsoft 365 E3');

      const response = await patch('humongous', before.id, { ...before, quantity: 85 });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: before.id, quantity: 85, status: 'active' });
      expect(response.body.attributes.etag).not.toBe(before.attributes.etag);
      expect((await subscription('humongous', 'Microsoft 365 E3')).quantity).toBe(85);
      const skus = (await pc(`/v1/customers/${DEMO_CUSTOMERS.humongous.id}/subscribedskus`)).body.items;
      expect(skus.find((item: { productSku: { skuPartNumber: string } }) => item.productSku.skuPartNumber === 'SPE_E3').activeUnits).toBe(
        85,
      );
    });

    it('lowers an annual subscription inside its 7-day cancellation window', async () => {
      const fresh = await subscription('bestforyou', 'Microsoft 365 Business Standard');

      const response = await patch('bestforyou', fresh.id, { quantity: 12 });

      expect(response.status).toBe(200);
      expect(response.body.quantity).toBe(12);
    });

    it('refuses to lower an annual subscription after its cancellation window with a 400 ApiFault', async () => {
      const e3 = await subscription('adatum', 'Microsoft 365 E3');

      const response = await patch('adatum', e3.id, { quantity: 40 });

      expectApiFault(response, 400, 800002);
      expect(response.body.description).toMatch(/only 0 seat\(s\) can be reduced now \(refundableQuantity\)/);
      expect((await subscription('adatum', 'Microsoft 365 E3')).quantity).toBe(50);
    });

    it('lowers a monthly subscription inside its 7-day window, and refuses one outside it like any other term', async () => {
      const fresh = await subscription('southridge', 'Exchange Online (Plan 1)'); // its month started 4 days ago
      expect((await patch('southridge', fresh.id, { quantity: 14 })).body.quantity).toBe(14);

      const powerBi = await subscription('adatum', 'Power BI Pro'); // its month started 12 days ago
      expectApiFault(await patch('adatum', powerBi.id, { quantity: 8 }), 400, 800002);
      expect((await subscription('adatum', 'Power BI Pro')).quantity).toBe(10);
    });

    it.each([
      [0, 2002],
      [1.5, 800002],
      ['12', 800002],
    ])('refuses quantity %p with code %p', async (quantity, code) => {
      const e3 = await subscription('adatum', 'Microsoft 365 E3');

      expectApiFault(await patch('adatum', e3.id, { quantity }), 400, code);
    });

    it('refuses a suspended (2001) and an expired (800012) subscription', async () => {
      const suspended = await subscription('citypower', 'Microsoft 365 E3');
      const expired = await subscription('lucerne', 'Microsoft 365 Business Standard', 1);

      expectApiFault(await patch('citypower', suspended.id, { quantity: 30 }), 400, 2001);
      expectApiFault(await patch('lucerne', expired.id, { quantity: 6 }), 400, 800012);
    });

    it('refuses a body that is not JSON with an ApiFault', async () => {
      const e3 = await subscription('adatum', 'Microsoft 365 E3');
      const response = await fetch(`${env.url}/v1/customers/${DEMO_CUSTOMERS.adatum.id}/subscriptions/${e3.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tokens[`s365@${CONTOSO}`]}`, 'content-type': 'application/json' },
        body: '{"quantity":',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 800002, source: 'PartnerFD' });
    });
  });

  describe('who may call', () => {
    it('refuses a token without MFA with 401 and code 900421 by default', async () => {
      expect(claimsOf(tokens[`nomfa@${CONTOSO}`]).amr).toEqual(['pwd']);

      const response = await pc('/v1/customers?size=1', `nomfa@${CONTOSO}`);

      expectApiFault(response, 401, 900421);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    it('refuses a token without MFA in the legacy form when switched: 401 "MFA required", header only', async () => {
      await control(env, 'POST', 'settings', { partnerCenter: { mfaRefusal: 'legacy' } });

      const response = await pc('/v1/customers?size=1', `nomfa@${CONTOSO}`);

      expect(response.status).toBe(401);
      expect(response.statusText).toBe('Unauthorized - MFA required');
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(response.text).toBe('');
    });

    it('refuses a user without the Admin Agent role with 403 2032, accepts a Global Administrator', async () => {
      const sales = await pc('/v1/customers?size=1', `sales@${CONTOSO}`);

      expectApiFault(sales, 403, 2032);
      expect(sales.body.description).toBe('The supplied role does not have the rights to perform the requested operation.');
      expect((await pc('/v1/customers?size=1', `admin@${CONTOSO}`)).status).toBe(200);
    });

    it('refuses an indirect reseller with 403 on customers and invoices', async () => {
      for (const path of ['/v1/customers?size=1', '/v1/invoices', `/v1/customers/${DEMO_CUSTOMERS.wingtip.id}/subscriptions`]) {
        const response = await pc(path, `s365@${FABRIKAM}`);
        expectApiFault(response, 403, 2032);
        expect(response.body.description).toMatch(/indirect resellers/);
      }
    });

    it('refuses a missing (800001), forged, expired or Graph token with 401', async () => {
      expectApiFault(await callApi(env, '/v1/customers'), 401, 800001);
      const [header, payload] = tokens[`s365@${CONTOSO}`].split('.');
      expectApiFault(await callApi(env, '/v1/customers', `${header}.${payload}.AAAA`), 401, 400);
      const graphOnly = await partnerSession(env, `s365@${CONTOSO}`);
      const graph = await callApi(env, '/v1/customers', await graphToken(env, graphOnly.refreshToken));
      expectApiFault(graph, 401, 400);
      await control(env, 'POST', 'clock', { advanceSeconds: 2 * 60 * 60 });
      expectApiFault(await pc('/v1/customers'), 401, 400);
    });

    it('echoes MS-RequestId and MS-CorrelationId, and makes them up when absent', async () => {
      const requestId = '11111111-2222-4333-8444-555555555555';
      const correlationId = '66666666-7777-4888-8999-000000000000';

      const echoed = await pc('/v1/customers?size=1', `s365@${CONTOSO}`, {
        headers: { 'MS-RequestId': requestId, 'MS-CorrelationId': correlationId },
      });
      const generated = await pc('/v1/customers?size=1');
      const fault = await pc('/v1/customers/nope', `s365@${CONTOSO}`, { headers: { 'MS-CorrelationId': correlationId } });

      expect(echoed.headers.get('ms-requestid')).toBe(requestId);
      expect(echoed.headers.get('ms-correlationid')).toBe(correlationId);
      expect(generated.headers.get('ms-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(fault.headers.get('ms-correlationid')).toBe(correlationId);
      expect(fault.headers.get('www-authenticate')).toBe(`OAuth realm=urn:cpsvc:cpid:${correlationId}`);
    });
  });

  describe('partner resources per partner type', () => {
    it('lists invoices of a direct-bill partner in the shape of Microsoft sample, paged by offset', async () => {
      const all = await pc('/v1/invoices');
      const firstTwo = await pc('/v1/invoices?size=2&offset=0');

      expect(all.body.items).toHaveLength(3);
      expect(shape(all.body.items[0])).toEqual(shape(invoicesSample.items[0]));
      expect(all.body.items.map((invoice: { invoiceDate: string }) => invoice.invoiceDate)).toEqual(
        all.body.items
          .map((invoice: { invoiceDate: string }) => invoice.invoiceDate)
          .sort()
          .reverse(),
      );
      expect(firstTwo.body.items).toHaveLength(2);
      expect(firstTwo.body.links.next.uri).toBe('/v1/invoices?size=2&offset=2');
      expect((await pc('/v1/invoices?size=2&offset=2')).body.items).toHaveLength(1);
    });

    it('lists invoices of an indirect provider', async () => {
      const response = await callApi(env, '/v1/invoices', tokens[`s365@${TAILSPIN}`]);

      expect(response.body.items.map((invoice: { currencyCode: string }) => invoice.currencyCode)).toEqual(['EUR', 'EUR']);
    });

    it('lists an indirect provider resellers, and a reseller its providers', async () => {
      const provider = await callApi(
        env,
        '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf',
        tokens[`s365@${TAILSPIN}`],
      );
      const reseller = await pc('/v1/relationships?relationship_type=IsIndirectResellerOf', `s365@${FABRIKAM}`);
      const direct = await pc('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf');

      expect(keys(provider.body)).toEqual(keys(relationshipsSample));
      expect(shape(provider.body.items[0])).toEqual(shape(relationshipsSample.items[0]));
      expect(provider.body.items).toEqual([
        {
          id: DEMO_IDS.fabrikamTenant,
          name: 'Fabrikam Reseller',
          relationshipType: 'is_indirect_cloud_solution_provider_of',
          state: 'Active',
          mpnId: DEMO_MPN_IDS.fabrikam,
          location: 'US',
          attributes: { objectType: 'PartnerRelationship' },
        },
      ]);
      expect(reseller.body.items.map((item: { id: string; relationshipType: string }) => [item.id, item.relationshipType])).toEqual([
        [DEMO_IDS.tailspinTenant, 'is_indirect_reseller_of'],
      ]);
      expect(direct.body).toEqual({ totalCount: 0, items: [], attributes: { objectType: 'Collection' } });
      expectApiFault(await pc('/v1/relationships'), 400, 800002);
    });

    it('serves the organization and MPN profiles, to resellers too', async () => {
      const organization = await pc('/v1/profiles/organization');
      const mpn = await pc('/v1/profiles/mpn', `s365@${FABRIKAM}`);

      expect(organization.body).toMatchObject({
        companyName: 'Contoso Partners',
        tenantId: DEMO_IDS.contosoTenant,
        domain: CONTOSO,
        profileType: 'OrganizationProfile',
      });
      expect(mpn.body).toMatchObject({ partnerName: 'Fabrikam Reseller', mpnId: DEMO_MPN_IDS.fabrikam, profileType: 'MpnProfile' });
    });
  });
});
