import {
  type AutotaskApiError,
  AutotaskAuthenticationError,
  AutotaskClient,
  AutotaskNotFoundError,
  AutotaskPermissionError,
  AutotaskThrottledError,
  AutotaskValidationError,
  AutotaskThresholdLimiter,
} from '../../libs/autotask/src';
import { autotaskFixture, DEMO, fakeSleep, fixtureAnswer, ScriptedHttpServer } from './support/autotask-kit';

// The wire client against Autotask's documented bodies (test/fixtures/autotask, sources in its README), served
// verbatim by a scripted server on the routes the client calls.
describe('AutotaskClient against documented Autotask bodies', () => {
  let server: ScriptedHttpServer;
  let clock: ReturnType<typeof fakeSleep>;
  let client: AutotaskClient;
  const base = () => `${server.url}/ATServicesRest`;

  beforeAll(async () => {
    server = await ScriptedHttpServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = fakeSleep();
    // The threshold is read before the first counted call: serve the documented body everywhere.
    server.script('GET /ATServicesRest/V1.0/ThresholdInformation', fixtureAnswer('threshold-information.json'));
    client = new AutotaskClient({ baseUrl: base(), credentials: DEMO, sleep: clock.sleep, random: () => 0.5 });
  });

  describe('zone discovery', () => {
    it('reads the PascalCase ZoneInformation of the Swagger and drops the trailing slash of Url', async () => {
      server.script('GET /ATServicesRest/V1.0/ZoneInformation', fixtureAnswer('zone-information.json'));

      const zone = await AutotaskClient.discoverZone('api@example.com', { discoveryUrl: base() });

      expect(zone).toEqual({
        zoneName: 'America East',
        url: 'https://webservices15.autotask.net/ATServicesRest',
        webUrl: 'https://ww15.autotask.net/',
        ci: 12345,
      });
      const [request] = server.requests;
      expect(request.url.searchParams.get('user')).toBe('api@example.com');
      // ZoneInformation needs no credentials: none are sent.
      expect(request.headers.secret).toBeUndefined();
      expect(request.headers.apiintegrationcode).toBeUndefined();
    });

    it('reads the camelCase form Autotask sends', async () => {
      server.script('GET /ATServicesRest/V1.0/ZoneInformation', fixtureAnswer('zone-information-camel.json'));

      const zone = await AutotaskClient.discoverZone('api@example.com', { discoveryUrl: base() });

      expect(zone.url).toBe('https://webservices5.autotask.net/atservicesrest');
      expect(zone.webUrl).toBe('https://ww5.autotask.net');
    });

    it('refuses a zone answer without a URL with the fix for the user name', async () => {
      server.script('GET /ATServicesRest/V1.0/ZoneInformation', { json: { zoneName: null, url: null } });

      const error = await AutotaskClient.discoverZone('nobody@example.com', { discoveryUrl: base() }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AutotaskAuthenticationError);
      expect((error as AutotaskApiError).fix).toMatch(/API user name/);
    });
  });

  it('reads ThresholdInformation in the documented field names', async () => {
    const info = await client.getThresholdInformation();

    expect(info).toEqual({ externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 124 });
    expect(client.limiter.snapshot()).toMatchObject({ threshold: 10000, usedAtLastRead: 124, sentSinceRead: 0 });
  });

  it('sends the three auth headers and the query body, and follows nextPageUrl with the same body until it is null', async () => {
    server.script('POST /ATServicesRest/V1.0/Companies/query', fixtureAnswer('query-page-1.json', 200, server.url));
    server.script('POST /ATServicesRest/V1.0/Companies/query/next', fixtureAnswer('query-page-2.json'));

    const companies = await client.findCompanies().all();

    expect(companies.map((company) => company.companyName)).toEqual(['Adatum Corporation', 'Alpine Ski House', 'Bellows College']);
    const [first, second] = server.requests.filter((request) => request.url.pathname.includes('/Companies/'));
    expect(first.headers).toMatchObject({
      apiintegrationcode: DEMO.integrationCode,
      username: DEMO.userName,
      secret: DEMO.secret,
      'content-type': 'application/json',
    });
    expect(JSON.parse(first.body)).toEqual({ filter: [{ op: 'eq', field: 'isActive', value: true }], MaxRecords: 500 });
    // The next page is exactly the URL Autotask gave, with its paging parameter, and the same body.
    expect(JSON.parse(second.url.searchParams.get('paging')!)).toEqual({ pageSize: 2, previousIds: [29684001], nextIds: [29684002] });
    expect(second.body).toBe(first.body);
    expect(second.headers.secret).toBe(DEMO.secret);
  });

  it('builds the documented query shape for contract service units, adding id to IncludeFields', async () => {
    server.script('POST /ATServicesRest/V1.0/ContractServiceUnits/query', fixtureAnswer('contract-service-units-page.json'));
    const documented = JSON.parse(autotaskFixture('query-request.json')) as { IncludeFields: string[] };

    const pages = [];
    for await (const page of client.query('ContractServiceUnits', {
      filter: [{ op: 'eq', field: 'contractID', value: 1 }],
      maxRecords: 500,
      includeFields: documented.IncludeFields.filter((field) => field !== 'id'),
    })) {
      pages.push(page);
    }

    expect(pages).toHaveLength(1);
    expect(pages[0].items.map((row) => [row.startDate, row.units])).toEqual([
      ['2026-12-01T00:00:00Z', 50],
      ['2026-12-15T00:00:00Z', 53],
    ]);
    const sent = JSON.parse(server.requests.find((request) => request.url.pathname.endsWith('/ContractServiceUnits/query'))!.body);
    expect(sent.MaxRecords).toBe(500);
    expect([...sent.IncludeFields].sort()).toEqual([...documented.IncludeFields].sort());
  });

  it('creates a ContractServiceAdjustment with the documented body and returns the itemId', async () => {
    server.script('POST /ATServicesRest/V1.0/ContractServiceAdjustments', fixtureAnswer('create-response.json'));
    const documented = JSON.parse(autotaskFixture('contract-service-adjustment-request.json'));

    const id = await client.createContractServiceAdjustment({
      contractID: 1,
      serviceID: 5,
      contractServiceID: 77,
      effectiveDate: '2026-12-15',
      unitChange: 3,
    });

    expect(id).toBe(128926);
    const request = server.requests.find((candidate) => candidate.url.pathname.endsWith('/ContractServiceAdjustments'))!;
    expect(JSON.parse(request.body)).toEqual(documented);
  });

  describe('errors', () => {
    const route = 'POST /ATServicesRest/V1.0/ContractServiceAdjustments';
    const adjust = () =>
      client.createContractServiceAdjustment({ contractID: 1, serviceID: 5, effectiveDate: '2026-12-15', unitChange: 3 }).then(
        () => {
          throw new Error('expected a refusal');
        },
        (caught: unknown) => caught as AutotaskApiError,
      );

    it.each([
      [401, AutotaskAuthenticationError, 'authentication', /secret/],
      [403, AutotaskPermissionError, 'permission', /security level/],
      [404, AutotaskNotFoundError, 'not_found', /deleted/],
      [400, AutotaskValidationError, 'validation', /refused the change/],
      // A refused write answers 500 with the errors array: the data was refused.
      [500, AutotaskValidationError, 'validation', /refused the change/],
    ])('turns HTTP %i with the errors body into %p carrying Autotask\u2019s message and a fix', async (status, Class, kind, fix) => {
      server.script(route, fixtureAnswer('error-response.json', status));

      const error = await adjust();

      expect(error).toBeInstanceOf(Class);
      expect(error).toMatchObject({ kind, status, autotaskMessages: ['Something went wrong'] });
      expect(error.message).toContain('Something went wrong');
      expect(error.fix).toMatch(fix);
      // A write is not sent again after an answer.
      expect(server.requests.filter((request) => request.url.pathname.endsWith('/ContractServiceAdjustments'))).toHaveLength(1);
    });

    it('honours Retry-After on 429, then succeeds', async () => {
      server.script(
        route,
        fixtureAnswer('error-response.json', 429, undefined, { 'Retry-After': '7' }),
        fixtureAnswer('create-response.json'),
      );

      await expect(
        client.createContractServiceAdjustment({ contractID: 1, serviceID: 5, effectiveDate: '2026-12-15', unitChange: 3 }),
      ).resolves.toBe(128926);

      expect(clock.waits).toEqual([7000]);
    });

    it('gives up after the attempts with a typed throttling error', async () => {
      server.script(route, fixtureAnswer('error-response.json', 429, undefined, { 'Retry-After': '1' }));

      const error = await adjust();

      expect(error).toBeInstanceOf(AutotaskThrottledError);
      expect(error.attempts).toBe(4);
      expect(error.retryAfterSeconds).toBe(1);
    });

    it('asks a query again after a 500 without an Autotask message, not after one with a message', async () => {
      server.script('POST /ATServicesRest/V1.0/Services/query', { status: 500, body: '' }, fixtureAnswer('query-page-2.json'));
      await expect(client.findServices().all()).resolves.toHaveLength(1);

      server.script('POST /ATServicesRest/V1.0/Contracts/query', fixtureAnswer('error-response.json', 500));
      const error = (await client
        .findContracts()
        .all()
        .catch((caught: unknown) => caught)) as AutotaskApiError;
      expect(error).toMatchObject({ kind: 'server', status: 500, attempts: 1 });
      expect(error.fix).toMatch(/integration code/);
    });

    it('never sends the credentials to a nextPageUrl on another host', async () => {
      server.script('POST /ATServicesRest/V1.0/Companies/query', fixtureAnswer('query-page-1.json', 200, 'http://elsewhere.example'));

      const error = (await client
        .findCompanies()
        .all()
        .catch((caught: unknown) => caught)) as AutotaskApiError;

      expect(error.message).toMatch(/refused to send the API credentials to http:\/\/elsewhere\.example/);
    });
  });

  it('a shared limiter reads the threshold once for several clients of the same database', async () => {
    const limiter = new AutotaskThresholdLimiter({ sleep: clock.sleep });
    const one = new AutotaskClient({ baseUrl: base(), credentials: DEMO, limiter, sleep: clock.sleep });
    const two = new AutotaskClient({ baseUrl: base(), credentials: DEMO, limiter, sleep: clock.sleep });
    server.script('POST /ATServicesRest/V1.0/Services/query', fixtureAnswer('query-page-2.json'));

    await one.findServices().all();
    await two.findServices().all();

    expect(server.requests.filter((request) => request.url.pathname.endsWith('/ThresholdInformation'))).toHaveLength(1);
    expect(limiter.snapshot()).toMatchObject({ usedAtLastRead: 124, sentSinceRead: 2 });
  });
});
