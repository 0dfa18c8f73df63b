import { MicrosoftApiError, parseMicrosoftDateTime, PartnerCenterClient, type PartnerCenterCustomer } from '../../libs/microsoft/src';
import { fixtureJson, fixtureResponse, GUID, recordingSleep, ScriptedHttpsServer } from './support/scripted-https-server';

// Microsoft's documented Partner Center bodies (test/fixtures/microsoft/pc-*.json), served verbatim from the
// route the client calls.
describe('PartnerCenterClient against Microsoft sample bodies', () => {
  let server: ScriptedHttpsServer;
  let client: PartnerCenterClient;
  let clock: ReturnType<typeof recordingSleep>;

  beforeAll(async () => {
    server = await ScriptedHttpsServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = recordingSleep();
    client = new PartnerCenterClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, applicationName: 'Sync 365' });
  });

  it('lists customers from pc-customers-list.json with the documented request headers', async () => {
    server.script('GET /v1/customers', fixtureResponse('pc-customers-list.json'));

    const pages = [];
    for await (const page of client.listCustomers('pc-token', { size: 40 })) pages.push(page);

    expect(pages).toHaveLength(1);
    expect(pages[0].totalCount).toBe(2);
    expect(pages[0].links?.self?.uri).toBe('/v1/customers?size=40');
    expect(pages[0].items.map((customer) => customer.id)).toEqual([
      'b44bb1fb-c595-45b0-9e09-d657365580bf',
      '45c44870-ef77-4fdd-b6fe-3dacb075cff2',
    ]);
    expect(pages[0].items[0]).toMatchObject({
      companyProfile: { tenantId: '<guid>', domain: 'domain', companyName: 'companyName' },
      relationshipToPartner: 'reseller',
      attributes: { objectType: 'Customer' },
    });
    const [request] = server.requests;
    expect(request.pathAndQuery).toBe('/v1/customers?size=40');
    expect(request.headers).toMatchObject({
      authorization: 'Bearer pc-token',
      accept: 'application/json',
      'ms-contract-version': 'v1',
      'ms-partnercenter-application': 'Sync 365',
    });
    expect(request.headers['ms-requestid']).toMatch(GUID);
    expect(request.headers['ms-correlationid']).toMatch(GUID);
  });

  it('sends a customer filter as URL-encoded JSON with the starts_with operator', async () => {
    server.script('GET /v1/customers', fixtureResponse('pc-customers-list.json'));

    await client.listCustomers('pc-token', { size: 0, filter: { field: 'CompanyName', value: 'Contoso & Co' } }).all();

    const query = server.requests[0].pathAndQuery.split('?')[1];
    expect(query).toBe(
      'size=0&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22Contoso%20%26%20Co%22%2C%22Operator%22%3A%22starts_with%22%7D',
    );
    expect(JSON.parse(server.requests[0].url.searchParams.get('filter')!)).toEqual({
      Field: 'CompanyName',
      Value: 'Contoso & Co',
      Operator: 'starts_with',
    });
  });

  it('reads a customer by id from pc-customer-by-id.json', async () => {
    server.script('GET /v1/customers/eebd1b55-5360-4438-a11d-5c06918c3014', fixtureResponse('pc-customer-by-id.json'));

    const customer = await client.getCustomer('pc-token', 'eebd1b55-5360-4438-a11d-5c06918c3014');

    expect(customer.id).toBe('eebd1b55-5360-4438-a11d-5c06918c3014');
    expect(customer.commerceId).toBe('99e6a635-48e7-424d-9059-c9db944e3c54');
    expect(customer.allowDelegatedAccess).toBe(true);
    expect(customer.relationshipToPartner).toBe('reseller');
    expect(customer.customDomains).toEqual(['abcdefgh1234.ccsctp.net']);
    expect(customer.companyProfile).toMatchObject({
      tenantId: customer.id,
      companyName: '1kl as kjk',
      address: { city: 'redmond', postalCode: '98052' },
    });
    expect(customer.billingProfile?.attributes).toEqual({ etag: '-4242348048554929329', objectType: 'CustomerBillingProfile' });
  });

  it("lists subscriptions from pc-subscriptions-list.json, keeping the sample's odd dates and parsing them on request", async () => {
    server.script('GET /v1/customers/cust-1/subscriptions', fixtureResponse('pc-subscriptions-list.json'));

    const subscriptions = await client.listSubscriptions('pc-token', 'cust-1').all();

    expect(subscriptions).toHaveLength(1);
    const [subscription] = subscriptions;
    expect(subscription).toMatchObject({
      id: '83ef9d05-4169-4ef9-9657-0e86b1eab1de',
      entitlementId: 'a356ac8c-e310-44f4-bf85-C7f29044af99',
      friendlyName: 'nickname',
      quantity: 1,
      unitType: 'none',
      status: 'active',
      autoRenewEnabled: false,
      billingType: 'none',
      contractType: 'subscription',
      orderId: '6183db3d-6318-4e52-877e-25806e4971be',
      attributes: { etag: '<etag>', objectType: 'Subscription' },
    });
    expect(subscription.links?.offer?.uri).toBe('/v1/offers/0CCA44D6-68E9-4762-94EE-31ECE98783B9');
    expect(subscription.offerId).toBeUndefined(); // documented field the sample leaves out
    expect(subscription.creationDate).toBe('2015-11-25T06: 41: 12Z');
    expect(parseMicrosoftDateTime(subscription.creationDate)?.toISOString()).toBe('2015-11-25T06:41:12.000Z');
    expect(parseMicrosoftDateTime(subscription.effectiveStartDate)?.toISOString()).toBe('2015-11-24T08:00:00.000Z');
    expect(parseMicrosoftDateTime(subscription.commitmentEndDate)?.toISOString()).toBe('2016-12-12T08:00:00.000Z');
    expect(parseMicrosoftDateTime('not a date')).toBeUndefined();
  });

  it('lists available licences from pc-subscribedskus-list.json, with repeated licenseGroupIds', async () => {
    server.script('GET /v1/customers/cust-1/subscribedskus', fixtureResponse('pc-subscribedskus-list.json'));

    const skus = await client.listSubscribedSkus('pc-token', 'cust-1', { licenseGroupIds: ['group1', 'group2'] }).all();

    expect(server.requests[0].pathAndQuery).toBe('/v1/customers/cust-1/subscribedskus?licenseGroupIds=group1&licenseGroupIds=group2');
    expect(skus.map((sku) => sku.productSku.skuPartNumber)).toEqual(['EMS', 'POWER_BI_PRO']);
    expect(skus[0]).toMatchObject({
      availableUnits: 4,
      activeUnits: 5,
      consumedUnits: 1,
      suspendedUnits: 0,
      totalUnits: 5,
      warningUnits: 0,
      capabilityStatus: 'Enabled',
    });
    expect(skus[0].productSku).toEqual({
      id: 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e',
      name: 'Enterprise Mobility + Security E3',
      skuPartNumber: 'EMS',
      targetType: 'User',
      licenseGroupId: 'group1',
    });
    expect(skus[0].servicePlans?.map((plan) => plan.serviceName)).toEqual([
      'RMS_S_PREMIUM',
      'INTUNE_A',
      'RMS_S_ENTERPRISE',
      'AAD_PREMIUM',
      'MFA_PREMIUM',
    ]);
    expect(skus[1].servicePlans?.[0].targetType).toBe('Tenant');
  });

  it('lists invoices from pc-invoices-list.json and follows its links.next, which lacks the /v1 prefix', async () => {
    const lastPage = {
      totalCount: 0,
      items: [],
      links: { self: { uri: '/invoices?size=2&offset=2', method: 'GET', headers: [] } },
      attributes: { objectType: 'Collection' },
    };
    server.script('GET /v1/invoices', fixtureResponse('pc-invoices-list.json'), { json: lastPage });

    const invoices = await client.listInvoices('pc-token', { size: 2 }).all();

    expect(server.requests.map((request) => request.pathAndQuery)).toEqual([
      '/v1/invoices?size=2&offset=0',
      '/v1/invoices?size=2&offset=2',
    ]);
    expect(invoices.map((invoice) => invoice.id)).toEqual(['D02005YFHI', 'G000024130']);
    expect(invoices[0]).toMatchObject({
      totalCharges: 24606.35,
      paidAmount: 1000,
      currencyCode: 'GBP',
      currencySymbol: '£',
      documentType: 'invoice',
      invoiceType: 'Recurring',
    });
    expect(invoices[0].invoiceDetails?.[0]).toMatchObject({ invoiceLineItemType: 'billing_line_items', billingProvider: 'office' });
    expect(invoices[1].amendments?.[0]).toMatchObject({
      id: 'G000024131',
      amendsOf: 'G000024130',
      documentType: 'adjustment_note',
      totalCharges: 107661.12,
    });
    expect(parseMicrosoftDateTime(invoices[1].invoiceDate)?.toISOString()).toBe('2018-02-08T01:22:47.603Z');
  });

  it('lists indirect resellers from pc-relationships-indirect-resellers.json', async () => {
    server.script('GET /v1/relationships', fixtureResponse('pc-relationships-indirect-resellers.json'));

    const relationships = await client.listRelationships('pc-token', 'IsIndirectCloudSolutionProviderOf').all();

    expect(server.requests[0].pathAndQuery).toBe('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf');
    expect(relationships).toEqual([
      expect.objectContaining({
        id: '484e548c-f5f3-4528-93a9-c16c6373cb59',
        name: 'First Up Consultants',
        mpnId: '4847383',
        location: 'US',
        state: 'Active',
      }),
      expect.objectContaining({ id: 'b01b1487-b36e-4e6d-9b5e-0b58974c4b28', name: 'ReleCloud', mpnId: '4847433', location: 'BR' }),
    ]);
    expect(relationships[0].relationshipType).toBe('is_indirect_cloud_solution_provider_of');
  });

  it('asks for the reseller side with IsIndirectResellerOf', async () => {
    server.script('GET /v1/relationships', { json: { totalCount: 0, items: [], attributes: { objectType: 'Collection' } } });

    expect(await client.listRelationships('pc-token', 'IsIndirectResellerOf').all()).toEqual([]);
    expect(server.requests[0].url.searchParams.get('relationship_type')).toBe('IsIndirectResellerOf');
  });

  it('reads the organization and MPN profiles (shapes of profile-resources.md)', async () => {
    server.script('GET /v1/profiles/organization', {
      json: {
        id: 'org-1',
        companyName: 'Contoso Partners',
        tenantId: 'tenant-1',
        domain: 'contoso.example',
        email: 'a@contoso.example',
        language: 'en',
        culture: 'en-US',
        profileType: 'OrganizationProfile',
        attributes: { objectType: 'OrganizationProfile' },
      },
    });
    server.script('GET /v1/profiles/mpn', {
      json: { partnerName: 'Contoso Partners', mpnId: '4847383', profileType: 'MpnProfile', attributes: { objectType: 'MpnProfile' } },
    });

    expect(await client.getOrganizationProfile('pc-token')).toMatchObject({
      companyName: 'Contoso Partners',
      tenantId: 'tenant-1',
      profileType: 'OrganizationProfile',
    });
    expect(await client.getMpnProfile('pc-token')).toMatchObject({ mpnId: '4847383', partnerName: 'Contoso Partners' });
  });

  it('tolerates fields Microsoft adds later and leaves them in place', async () => {
    const body = fixtureJson('pc-customers-list.json');
    body.newTopLevelField = { nested: true };
    body.items[0].companyProfile.futureFlag = 'x';
    body.items[0].partnerTier = 'gold';
    server.script('GET /v1/customers', { json: body });

    const [first] = await client.listCustomers('pc-token').all();

    expect(first.companyProfile?.companyName).toBe('companyName');
    expect((first as PartnerCenterCustomer & { partnerTier?: string }).partnerTier).toBe('gold');
  });

  it('tolerates customers with only an id (every other field optional) and a collection without links or totalCount', async () => {
    server.script('GET /v1/customers', { json: { items: [{ id: 'bare-customer' }] } });

    const customers = await client.listCustomers('pc-token').all();

    expect(customers).toEqual([{ id: 'bare-customer' }]);
    expect(customers[0].companyProfile?.companyName).toBeUndefined();
  });

  it('turns the documented 429 body into a throttling error carrying Retry-After', async () => {
    client = new PartnerCenterClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, retry: { maxAttempts: 2 } });
    server.script('GET /v1/customers/cust-1', fixtureResponse('pc-error-429-throttled.json', 429, { 'retry-after': '57' }));

    const error = await client.getCustomer('pc-token', 'cust-1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({
      service: 'partner-center',
      status: 429,
      isThrottled: true,
      code: 'http_429',
      microsoftMessage: 'Rate limit is exceeded. Try again in 57 seconds.',
      retryAfterSeconds: 57,
      attempts: 2,
    });
    expect(clock.waits).toEqual([57_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('keeps the ApiFault code and description and the request ids, and does not retry a 403', async () => {
    server.script('GET /v1/customers/cust-1/subscriptions', {
      status: 403,
      json: {
        code: 20002,
        description: 'The partner ID 123 has no commerce relationship with the customer ID cust-1',
        source: 'PartnerFD',
        errorName: 'NoCommerceRelationship',
      },
    });

    const error = (await client
      .listSubscriptions('pc-token', 'cust-1')
      .all()
      .catch((caught: unknown) => caught)) as MicrosoftApiError;

    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({
      status: 403,
      code: '20002',
      microsoftMessage: 'The partner ID 123 has no commerce relationship with the customer ID cust-1',
    });
    expect(error.message).toBe(
      'Partner Center GET /v1/customers/cust-1/subscriptions failed with HTTP 403 20002: The partner ID 123 has no commerce relationship with the customer ID cust-1',
    );
    expect(error.requestId).toBe(server.requests[0].headers['ms-requestid']);
    expect(error.correlationId).toBe(server.requests[0].headers['ms-correlationid']);
    expect(server.requests).toHaveLength(1);
    expect(error.message).not.toContain('pc-token');
  });

  it('accepts an ApiFault whose code is a string', async () => {
    server.script('GET /v1/customers/missing', { status: 404, json: { code: 'CustomerNotFound', description: 'Customer not found.' } });

    await expect(client.getCustomer('pc-token', 'missing')).rejects.toMatchObject({
      status: 404,
      code: 'CustomerNotFound',
      microsoftMessage: 'Customer not found.',
    });
  });

  it('gives a clear error for an HTML error page, without copying the page into the message', async () => {
    client = new PartnerCenterClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, retry: { maxAttempts: 1 } });
    server.script('GET /v1/customers/cust-1', {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>502 Bad Gateway</h1><p>secret-ish upstream detail</p></body></html>',
    });

    const error = (await client.getCustomer('pc-token', 'cust-1').catch((caught: unknown) => caught)) as MicrosoftApiError;

    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({ status: 502, code: 'http_502', microsoftMessage: undefined });
    expect(error.message).toBe(
      'Partner Center GET /v1/customers/cust-1 failed with HTTP 502 Bad Gateway with a body that is not a Microsoft error',
    );
    expect(error.message).not.toContain('<html>');
  });

  it('gives a clear error for an empty error body', async () => {
    server.script('GET /v1/customers/cust-1', { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: '' });

    const error = (await client.getCustomer('pc-token', 'cust-1').catch((caught: unknown) => caught)) as MicrosoftApiError;

    expect(error).toMatchObject({ status: 401, code: 'http_401', wwwAuthenticate: 'Bearer error="invalid_token"' });
    expect(error.message).toBe('Partner Center GET /v1/customers/cust-1 failed with HTTP 401 Unauthorized with an empty body');
  });

  it('reads a 200 whose body is cut off or not JSON again (a fault of the way back), then reports it as a malformed response', async () => {
    server.script('GET /v1/customers/cust-1', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"cust-1","companyPro',
    });

    await expect(client.getCustomer('pc-token', 'cust-1')).rejects.toMatchObject({
      code: 'malformed_response',
      status: 200,
      attempts: 4,
      message: 'Partner Center GET /v1/customers/cust-1 answered HTTP 200 with a body that is not JSON (after 4 attempts)',
    });
    expect(server.requests).toHaveLength(4);
  });

  it('reads a catalogue SKU from pc-product-sku-by-id.json, asking for it by product, SKU and country', async () => {
    server.script('GET /v1/products/DZH318Z0BQ3V/skus/00G1', fixtureResponse('pc-product-sku-by-id.json'));

    const sku = await client.getProductSku('pc-token', 'DZH318Z0BQ3V', '00G1', 'US');

    expect(sku).toMatchObject({
      id: '00G1',
      productId: 'DZH318Z0BQ3V',
      title: 'Reserved VM Instance, Standard_D32s_v3, US West 2, 3 Years',
    });
    expect(server.requests[0].pathAndQuery).toBe('/v1/products/DZH318Z0BQ3V/skus/00G1?country=US');
  });
});
