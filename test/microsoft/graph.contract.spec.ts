import { GraphClient, MicrosoftApiError, parseMicrosoftDateTime } from '../../libs/microsoft/src';
import { fixtureJson, fixtureResponse, GUID, recordingSleep, ScriptedHttpsServer } from './support/scripted-https-server';

// Microsoft's documented Graph bodies (test/fixtures/microsoft/graph-*.json), served verbatim.
describe('GraphClient against Microsoft sample bodies', () => {
  let server: ScriptedHttpsServer;
  let client: GraphClient;
  let clock: ReturnType<typeof recordingSleep>;

  beforeAll(async () => {
    server = await ScriptedHttpsServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = recordingSleep();
    client = new GraphClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5 });
  });

  it('lists subscribedSkus from graph-subscribedSkus-list.json', async () => {
    server.script('GET /v1.0/subscribedSkus', fixtureResponse('graph-subscribedSkus-list.json'));

    const skus = await client.listSubscribedSkus('graph-token').all();

    expect(skus.map((sku) => sku.skuPartNumber)).toEqual(['ENTERPRISEPREMIUM', 'CRMSTANDARD']);
    expect(skus[0]).toMatchObject({
      id: '48a80680-7326-48cd-9935-b556b81d3a4e_c7df2760-2c81-4ef7-b578-5b5392b571df',
      accountId: 'f97aeefc-af85-414d-8ae4-b457f90efc40',
      accountName: 'Sample account One',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 14,
      prepaidUnits: { enabled: 25, lockedOut: 0, suspended: 0, warning: 0 },
      skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df',
      subscriptionIds: ['43d26afe-cb98-48b9-acc4-ae3ef2ac6c51'],
    });
    expect(skus[0].servicePlans).toEqual([
      {
        servicePlanId: '8c098270-9dd4-4350-9b30-ba4703f3b36b',
        servicePlanName: 'ADALLOM_S_O365',
        provisioningStatus: 'Success',
        appliesTo: 'Company',
      },
    ]);
    expect(skus[1]).toMatchObject({ capabilityStatus: 'Suspended', prepaidUnits: { enabled: 0, suspended: 25 } });
    const [request] = server.requests;
    expect(request.pathAndQuery).toBe('/v1.0/subscribedSkus');
    expect(request.headers.authorization).toBe('Bearer graph-token');
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['client-request-id']).toMatch(GUID);
    expect(request.headers['ms-requestid']).toBeUndefined();
  });

  it('lists delegatedAdminRelationships from its sample, with $filter and $top, including the reseller variant', async () => {
    server.script(
      'GET /v1.0/tenantRelationships/delegatedAdminRelationships',
      fixtureResponse('graph-delegatedAdminRelationships-list.json'),
    );

    const relationships = await client.listDelegatedAdminRelationships('graph-token', { filter: "status eq 'active'", top: 300 }).all();

    const { searchParams } = server.requests[0].url;
    expect(searchParams.get('$filter')).toBe("status eq 'active'");
    expect(searchParams.get('$top')).toBe('300');
    expect(server.requests[0].pathAndQuery).toMatch(/\?\$filter=status%20eq%20(?:'|%27)active(?:'|%27)&\$top=300$/);
    expect(relationships.map((relationship) => relationship.status)).toEqual(['active', 'terminated', 'approvalPending']);
    expect(relationships[0]).toMatchObject({
      id: '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836',
      displayName: 'Contoso admin relationship',
      duration: 'P730D',
      autoExtendDuration: 'P180D',
      customer: { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: 'Contoso Inc' },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: 'dd4db9a0-cc4a-4213-9f9f-70242232d97e' }] },
    });
    expect(parseMicrosoftDateTime(relationships[0].endDateTime)?.toISOString()).toBe('2024-02-10T11:24:42.314Z');
    const reseller = relationships[2];
    expect(reseller['@odata.type']).toBe('#microsoft.graph.resellerDelegatedAdminRelationship');
    expect(reseller).toMatchObject({
      indirectProviderTenantId: '60ea59db-a506-485e-94c5-d115f369e239',
      isPartnerConsentPending: true,
      activatedDateTime: null,
      endDateTime: null,
    });
    expect(reseller.accessDetails?.unifiedRoles).toHaveLength(9);
  });

  it('lists accessAssignments of a relationship from its sample', async () => {
    const relationshipId = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
    server.script(
      `GET /v1.0/tenantRelationships/delegatedAdminRelationships/${relationshipId}/accessAssignments`,
      fixtureResponse('graph-delegatedAdminRelationship-accessAssignments-list.json'),
    );

    const assignments = await client.listAccessAssignments('graph-token', relationshipId).all();

    expect(assignments.map((assignment) => assignment.accessContainer?.accessContainerId)).toEqual([
      '227a2f44-2682-4831-a021-f8d69a34bcba',
      '869713c9-0b28-4d08-8949-ae07ae1bf528',
    ]);
    expect(assignments[0]).toMatchObject({
      id: '84c586df-0943-416e-b95f-7289cb8d3bd5',
      status: 'active',
      accessContainer: { accessContainerType: 'securityGroup' },
    });
    expect(assignments[1].accessDetails?.unifiedRoles?.map((role) => role.roleDefinitionId)).toContain(
      'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    ); // Global Reader
    expect(parseMicrosoftDateTime(assignments[0].createdDateTime)?.toISOString()).toBe('2022-03-07T22:55:18.678Z');
  });

  it('follows @odata.nextLink as given until it is absent', async () => {
    const skus = fixtureJson('graph-subscribedSkus-list.json');
    server.script(
      'GET /v1.0/subscribedSkus',
      { json: { ...skus, value: [skus.value[0]], '@odata.nextLink': `${server.url}/v1.0/subscribedSkus?$skiptoken=RFNwdAIAAQAAAD8` } },
      { json: { ...skus, value: [skus.value[1]] } },
    );

    const pages = [];
    for await (const page of client.listSubscribedSkus('graph-token')) pages.push(page.value.map((sku) => sku.skuPartNumber));

    expect(pages).toEqual([['ENTERPRISEPREMIUM'], ['CRMSTANDARD']]);
    expect(server.requests.map((request) => request.pathAndQuery)).toEqual([
      '/v1.0/subscribedSkus',
      '/v1.0/subscribedSkus?$skiptoken=RFNwdAIAAQAAAD8',
    ]);
    expect(server.requests[1].headers.authorization).toBe('Bearer graph-token');
  });

  it('refuses to send the token to a nextLink on another host', async () => {
    server.script('GET /v1.0/me/transitiveMemberOf', {
      json: { value: [{ id: 'g1' }], '@odata.nextLink': 'https://attacker.example/v1.0/me/transitiveMemberOf?$skiptoken=x' },
    });

    const error = await client
      .listTransitiveMemberOf('graph-token')
      .all()
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'untrusted_url', service: 'graph' });
    expect(server.requests).toHaveLength(1);
  });

  it('stops with an error when a nextLink repeats instead of looping', async () => {
    server.script('GET /v1.0/directory/subscriptions', {
      json: { value: [{ id: 's1' }], '@odata.nextLink': `${server.url}/v1.0/directory/subscriptions?$skiptoken=same` },
    });

    await expect(client.listDirectorySubscriptions('graph-token').all()).rejects.toMatchObject({ code: 'paging_loop' });
    expect(server.requests).toHaveLength(2);
  });

  it('reads the organization, keeping the old getOrganization(accessToken) contract', async () => {
    server.script('GET /v1.0/organization', {
      json: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization',
        value: [
          {
            id: '84841066-274d-4ec0-a5c1-276be684bdd3',
            displayName: 'Contoso Partners',
            partnerTenantType: 'resellerPartnerDelegatedAdmin',
            tenantType: 'AAD',
            verifiedDomains: [
              {
                capabilities: 'Email, OfficeCommunicationsOnline',
                isDefault: true,
                isInitial: true,
                name: 'contoso.onmicrosoft.com',
                type: 'Managed',
              },
            ],
          },
        ],
      },
    });

    const organization = await client.getOrganization('graph-token');

    expect(organization).toMatchObject({
      id: '84841066-274d-4ec0-a5c1-276be684bdd3',
      displayName: 'Contoso Partners',
      partnerTenantType: 'resellerPartnerDelegatedAdmin',
    });
    expect(organization?.verifiedDomains?.[0]).toMatchObject({ name: 'contoso.onmicrosoft.com', isDefault: true });
  });

  it('reads /me, /directory/subscriptions and transitiveMemberOf (optionally for another user)', async () => {
    server.script('GET /v1.0/me', {
      json: { id: 'user-1', displayName: 'Sync 365 Service Account', userPrincipalName: 's365@contoso.example', mail: null },
    });
    server.script('GET /v1.0/directory/subscriptions', {
      json: {
        value: [
          {
            id: 'sub-1',
            commerceSubscriptionId: 'c-1',
            skuPartNumber: 'ENTERPRISEPREMIUM',
            status: 'Enabled',
            totalLicenses: 25,
            isTrial: false,
            ownerTenantId: 'partner-1',
          },
        ],
      },
    });
    server.script('GET /v1.0/users/user-2/transitiveMemberOf', {
      json: {
        value: [
          { '@odata.type': '#microsoft.graph.group', id: 'group-1', displayName: 'AdminAgents', securityEnabled: true },
          { '@odata.type': '#microsoft.graph.directoryRole', id: 'role-1', roleTemplateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' },
        ],
      },
    });

    expect(await client.getMe('graph-token')).toMatchObject({ id: 'user-1', userPrincipalName: 's365@contoso.example' });
    expect(await client.listDirectorySubscriptions('graph-token').all()).toEqual([
      expect.objectContaining({ totalLicenses: 25, ownerTenantId: 'partner-1' }),
    ]);
    const memberships = await client.listTransitiveMemberOf('graph-token', { userId: 'user-2' }).all();
    expect(memberships.map((member) => member['@odata.type'])).toEqual(['#microsoft.graph.group', '#microsoft.graph.directoryRole']);
  });

  it('tolerates added and missing optional fields', async () => {
    server.script('GET /v1.0/subscribedSkus', {
      json: { value: [{ id: 'a_b', skuId: 'b', someFutureField: { x: 1 } }], '@odata.count': 1, '@odata.deltaLink': 'ignored' },
    });

    const [sku] = await client.listSubscribedSkus('graph-token').all();

    expect(sku.skuId).toBe('b');
    expect(sku.prepaidUnits?.enabled).toBeUndefined();
  });

  it('turns the documented Graph 429 body into an error with its code, message and request id', async () => {
    client = new GraphClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, retry: { maxAttempts: 1 } });
    server.script('GET /v1.0/subscribedSkus', fixtureResponse('graph-error-429-throttled.json', 429, { 'retry-after': '2.128' }));

    const error = (await client
      .listSubscribedSkus('graph-token')
      .all()
      .catch((caught: unknown) => caught)) as MicrosoftApiError;

    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({
      service: 'graph',
      status: 429,
      code: 'TooManyRequests',
      microsoftMessage: 'Please retry again later.',
      requestId: '94fb3b52-452a-4535-a601-69e0a90e3aa2',
      retryAfterSeconds: 2.128,
    });
    expect(error.message).toBe('Microsoft Graph GET /v1.0/subscribedSkus failed with HTTP 429 TooManyRequests: Please retry again later.');
  });

  it("prefers Graph's request-id response header and does not retry a 403", async () => {
    server.script('GET /v1.0/subscribedSkus', {
      status: 403,
      headers: { 'request-id': 'b7f1c0de-0000-4000-8000-000000000001' },
      json: {
        error: {
          code: 'Authorization_RequestDenied',
          message: 'Insufficient privileges to complete the operation.',
          innerError: { 'request-id': 'other' },
        },
      },
    });

    await expect(client.listSubscribedSkus('graph-token').all()).rejects.toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
      requestId: 'b7f1c0de-0000-4000-8000-000000000001',
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('gives clear errors for non-JSON and empty Graph error bodies', async () => {
    client = new GraphClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, retry: { maxAttempts: 1 } });
    server.script('GET /v1.0/me', { status: 504, headers: { 'content-type': 'text/html' }, body: '<html>Gateway Timeout</html>' });
    server.script('GET /v1.0/organization', { status: 500, body: '' });

    await expect(client.getMe('graph-token')).rejects.toMatchObject({
      status: 504,
      code: 'http_504',
      message: 'Microsoft Graph GET /v1.0/me failed with HTTP 504 Gateway Timeout with a body that is not a Microsoft error',
    });
    await expect(client.getOrganization('graph-token')).rejects.toMatchObject({
      status: 500,
      code: 'http_500',
      message: 'Microsoft Graph GET /v1.0/organization failed with HTTP 500 Internal Server Error with an empty body',
    });
  });

  it('rejects a $top above the documented 300', () => {
    expect(() => client.listDelegatedAdminRelationships('graph-token', { top: 301 })).toThrow(RangeError);
  });
});
