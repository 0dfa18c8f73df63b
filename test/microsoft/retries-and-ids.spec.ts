import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GraphClient,
  MicrosoftApiError,
  MicrosoftHttpClient,
  PartnerCenterClient,
  type AttemptEvent,
  type PartnerCenterCollection,
  type PartnerCenterCustomer,
} from '../../libs/microsoft/src';
import { fixtureJson, fixtureResponse, GUID, recordingSleep, ScriptedHttpsServer } from './support/scripted-https-server';

const customersPage = (ids: string[], next?: { uri: string; token: string }): PartnerCenterCollection<PartnerCenterCustomer> => ({
  totalCount: 5,
  items: ids.map((id) => ({ id, companyProfile: { companyName: `Customer ${id}` } })),
  ...(next ? { continuationToken: next.token } : {}),
  links: {
    self: { uri: '/v1/customers?size=2', method: 'GET', headers: [] },
    ...(next ? { next: { uri: next.uri, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: next.token }] } } : {}),
  },
  attributes: { objectType: 'Collection' },
});

const graphError = (message: string) => ({ error: { code: 'serviceNotAvailable', message } });

describe('retries, backoff, timeouts and correlation ids', () => {
  let server: ScriptedHttpsServer;
  let clock: ReturnType<typeof recordingSleep>;
  let events: AttemptEvent[];

  beforeAll(async () => {
    server = await ScriptedHttpsServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = recordingSleep();
    events = [];
  });

  const graph = (options: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) =>
    new GraphClient({ baseUrl: server.url, sleep: clock.sleep, random: () => 0.5, onAttempt: (event) => events.push(event), ...options });
  const partnerCenter = (options: Partial<ConstructorParameters<typeof PartnerCenterClient>[0]> = {}) =>
    new PartnerCenterClient({
      baseUrl: server.url,
      sleep: clock.sleep,
      random: () => 0.5,
      onAttempt: (event) => events.push(event),
      ...options,
    });

  describe('paging', () => {
    it('follows links.next in both uri forms, sending its MS-ContinuationToken, with one MS-CorrelationId for the walk', async () => {
      server.script('GET /v1/customers', (request) => {
        switch (request.headers['ms-continuationtoken']) {
          case undefined:
            return { json: customersPage(['c1', 'c2'], { uri: '/customers?size=2&seekOperation=Next', token: 'token-page-2' }) };
          case 'token-page-2':
            return { json: customersPage(['c3', 'c4'], { uri: '/v1/customers?size=2&seekOperation=Next', token: 'token-page-3' }) };
          default:
            return { json: customersPage(['c5']) };
        }
      });

      const customers = await partnerCenter().listCustomers('pc-token', { size: 2 }).all();

      expect(customers.map((customer) => customer.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
      expect(server.requests.map((request) => [request.pathAndQuery, request.headers['ms-continuationtoken']])).toEqual([
        ['/v1/customers?size=2', undefined],
        ['/v1/customers?size=2&seekOperation=Next', 'token-page-2'],
        ['/v1/customers?size=2&seekOperation=Next', 'token-page-3'],
      ]);
      const correlationIds = new Set(server.requests.map((request) => request.headers['ms-correlationid']));
      expect(correlationIds.size).toBe(1);
      expect([...correlationIds][0]).toMatch(GUID);
      expect(new Set(server.requests.map((request) => request.headers['ms-requestid'])).size).toBe(3);
    });

    it('starts a new walk (and a new correlation id) each time the pages are iterated, and yields items one by one', async () => {
      server.script('GET /v1/customers', fixtureResponse('pc-customers-list.json'));
      const pages = partnerCenter().listCustomers('pc-token');

      const ids: string[] = [];
      for await (const customer of pages.items()) ids.push(customer.id);
      await pages.all();

      expect(ids).toEqual(['b44bb1fb-c595-45b0-9e09-d657365580bf', '45c44870-ef77-4fdd-b6fe-3dacb075cff2']);
      expect(server.requests).toHaveLength(2);
      expect(server.requests[0].headers['ms-correlationid']).not.toBe(server.requests[1].headers['ms-correlationid']);
    });

    it('stops with an error when links.next repeats itself', async () => {
      server.script('GET /v1/customers', { json: customersPage(['c1'], { uri: '/customers?size=1&seekOperation=Next', token: 'same' }) });

      await expect(partnerCenter().listCustomers('pc-token', { size: 1 }).all()).rejects.toMatchObject({ code: 'paging_loop' });
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('throttling', () => {
    it('waits the fractional Retry-After of a 429 (2.5 s) and then succeeds', async () => {
      server.script(
        'GET /v1.0/subscribedSkus',
        fixtureResponse('graph-error-429-throttled.json', 429, { 'retry-after': '2.5' }),
        fixtureResponse('graph-subscribedSkus-list.json'),
      );

      const skus = await graph().listSubscribedSkus('graph-token').all();

      expect(skus).toHaveLength(2);
      expect(clock.waits).toEqual([2_500]);
      expect(events.map(({ attempt, status, outcome, waitMs }) => ({ attempt, status, outcome, waitMs }))).toEqual([
        { attempt: 1, status: 429, outcome: 'retry', waitMs: 2_500 },
        { attempt: 2, status: 200, outcome: 'success', waitMs: 0 },
      ]);
      expect(events[0]).toMatchObject({
        service: 'graph',
        method: 'GET',
        path: '/v1.0/subscribedSkus',
        operation: 'graph.subscribed-skus',
        errorCode: 'TooManyRequests',
      });
    });

    it('honours Retry-After given as an HTTP date', async () => {
      const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
      server.script('GET /v1.0/me', { status: 429, headers: { 'retry-after': inFiveSeconds }, body: '' }, { json: { id: 'me' } });

      await graph().getMe('graph-token');

      expect(clock.waits).toHaveLength(1);
      expect(clock.waits[0]).toBeGreaterThan(3_000);
      expect(clock.waits[0]).toBeLessThanOrEqual(5_000);
    });

    it('backs off with jitter when a 429 comes without Retry-After', async () => {
      const randoms = [0, 0.5, 0.999];
      server.script(
        'GET /v1.0/subscribedSkus',
        fixtureResponse('graph-error-429-throttled.json', 429),
        fixtureResponse('graph-error-429-throttled.json', 429),
        fixtureResponse('graph-error-429-throttled.json', 429),
        fixtureResponse('graph-subscribedSkus-list.json'),
      );

      const skus = await graph({ random: () => randoms.shift()! })
        .listSubscribedSkus('graph-token')
        .all();

      expect(skus).toHaveLength(2);
      // throttle base 5 s, doubling, half fixed and half random: [2.5, 5] s, [5, 10] s, [10, 20] s
      expect(clock.waits).toEqual([2_500, 7_500, 19_990]);
    });

    it('does not wait for a Retry-After beyond the cap and reports it for rescheduling', async () => {
      server.script('GET /v1/customers/cust-1', fixtureResponse('pc-error-429-throttled.json', 429, { 'retry-after': '120' }));

      await expect(partnerCenter().getCustomer('pc-token', 'cust-1')).rejects.toMatchObject({
        status: 429,
        retryAfterSeconds: 120,
        attempts: 1,
      });
      expect(clock.waits).toEqual([]);
    });
  });

  describe('server errors and network failures', () => {
    it('retries a 503 with jittered exponential backoff and, after the last attempt, fails with the last error', async () => {
      server.script(
        'GET /v1.0/organization',
        ...['first', 'second', 'third', 'last'].map((message) => ({ status: 503, json: graphError(message) })),
      );

      const error = (await graph()
        .getOrganization('graph-token')
        .catch((caught: unknown) => caught)) as MicrosoftApiError;

      expect(error).toBeInstanceOf(MicrosoftApiError);
      expect(error).toMatchObject({ status: 503, code: 'serviceNotAvailable', microsoftMessage: 'last', attempts: 4 });
      expect(error.message).toBe(
        'Microsoft Graph GET /v1.0/organization failed with HTTP 503 serviceNotAvailable: last (after 4 attempts)',
      );
      // base 1 s, doubling, random 0.5 → 75 % of 1, 2, 4 s
      expect(clock.waits).toEqual([750, 1_500, 3_000]);
      expect(server.requests).toHaveLength(4);
      expect(events.map((event) => event.outcome)).toEqual(['retry', 'retry', 'retry', 'failure']);
    });

    it('honours Retry-After on a 503 too', async () => {
      server.script('GET /v1.0/me', { status: 503, headers: { 'retry-after': '1' }, json: graphError('busy') }, { json: { id: 'me' } });

      await graph().getMe('graph-token');

      expect(clock.waits).toEqual([1_000]);
    });

    it('caps the attempts as configured', async () => {
      server.script('GET /v1.0/me', { status: 500, json: graphError('boom') });

      await expect(graph({ retry: { maxAttempts: 2 } }).getMe('graph-token')).rejects.toMatchObject({ status: 500, attempts: 2 });
      expect(server.requests).toHaveLength(2);
    });

    it('retries a reset connection', async () => {
      server.script('GET /v1/customers/cust-1', { reset: true }, fixtureResponse('pc-customer-by-id.json'));

      const customer = await partnerCenter().getCustomer('pc-token', 'cust-1');

      expect(customer.id).toBe('eebd1b55-5360-4438-a11d-5c06918c3014');
      expect(events[0]).toMatchObject({ attempt: 1, status: 0, outcome: 'retry', errorCode: 'network_error', waitMs: 750 });
      expect(server.requests).toHaveLength(2);
    });

    it('fails with a network error once every attempt was reset', async () => {
      server.script('GET /v1.0/me', { reset: true });

      const error = (await graph({ retry: { maxAttempts: 3 } })
        .getMe('graph-token')
        .catch((caught: unknown) => caught)) as MicrosoftApiError;

      expect(error).toMatchObject({ status: 0, code: 'network_error', attempts: 3 });
      expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(error.networkCode);
      expect(error.message).toMatch(/^Microsoft Graph GET \/v1\.0\/me lost the connection \[[A-Z_]+\] \(after 3 attempts\)$/);
    });

    it('times an attempt out, retries it, and reports a timeout when every attempt hangs', async () => {
      server.script('GET /v1.0/me', { hang: true }, { json: { id: 'me' } });
      expect(await graph({ timeoutMs: 150 }).getMe('graph-token')).toEqual({ id: 'me' });
      expect(events[0]).toMatchObject({ attempt: 1, status: 0, outcome: 'retry', errorCode: 'timeout' });

      server.script('GET /v1.0/organization', { hang: true });
      const error = await graph({ timeoutMs: 150, retry: { maxAttempts: 2 } })
        .getOrganization('graph-token')
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        status: 0,
        code: 'timeout',
        attempts: 2,
        message: 'Microsoft Graph GET /v1.0/organization timed out after 150 ms (after 2 attempts)',
      });
    });

    it('retries a refused connection, even for an unsafe request', async () => {
      const closedPort = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });
      const http = new MicrosoftHttpClient({
        service: 'graph',
        baseUrl: `https://127.0.0.1:${closedPort}`,
        sleep: clock.sleep,
        random: () => 0.5,
        retry: { maxAttempts: 3 },
      });

      const error = await http.request({ method: 'POST', path: '/v1.0/something', json: {} }).catch((caught: unknown) => caught);

      expect(error).toMatchObject({ status: 0, code: 'network_error', networkCode: 'ECONNREFUSED', attempts: 3 });
      expect(clock.waits).toHaveLength(2);
    });

    it('does not retry a server whose certificate is not trusted, and says why', async () => {
      const caDir = mkdtempSync(join(tmpdir(), 'untrusted-ca-'));
      const untrusted = await ScriptedHttpsServer.start({ caDir });
      try {
        const error = (await graph({ baseUrl: untrusted.url })
          .getMe('graph-token')
          .catch((caught: unknown) => caught)) as MicrosoftApiError;

        expect(error).toMatchObject({ status: 0, code: 'network_error', attempts: 1 });
        expect(error.message).toContain('failed TLS verification');
        expect(error.networkCode).toMatch(/CERT|SIGNATURE|UNABLE_TO/);
        expect(untrusted.requests).toHaveLength(0);
      } finally {
        await untrusted.close();
        rmSync(caDir, { recursive: true, force: true });
      }
    });

    it('stops, without retrying, when the caller aborts', async () => {
      server.script('GET /v1.0/me', { hang: true });
      const controller = new AbortController();
      const http = new MicrosoftHttpClient({ service: 'graph', baseUrl: server.url, sleep: clock.sleep, timeoutMs: 5_000 });

      const pending = http.request({ path: '/v1.0/me', signal: controller.signal });
      setTimeout(() => controller.abort(), 50);

      await expect(pending).rejects.toMatchObject({
        code: 'aborted',
        attempts: 1,
        message: 'Microsoft Graph GET /v1.0/me was cancelled by the caller',
      });
      expect(server.requests).toHaveLength(1);
      expect(clock.waits).toEqual([]);
    });

    it('does not retry a 400 or a 404', async () => {
      server.script('GET /v1.0/me', { status: 400, json: { error: { code: 'BadRequest', message: 'Invalid filter clause' } } });

      await expect(graph().getMe('graph-token')).rejects.toMatchObject({ status: 400, code: 'BadRequest', attempts: 1 });
      expect(server.requests).toHaveLength(1);
    });

    it('asks a token function before every attempt, so a retry carries a fresh token', async () => {
      let issued = 0;
      server.script('GET /v1.0/me', { status: 503, json: graphError('busy') }, { json: { id: 'me' } });

      await graph().getMe(async () => `token-${++issued}`);

      expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('keeps going when the observer throws', async () => {
      server.script('GET /v1.0/me', { json: { id: 'me' } });

      const client = graph({
        onAttempt: () => {
          throw new Error('metrics down');
        },
      });

      await expect(client.getMe('graph-token')).resolves.toEqual({ id: 'me' });
    });
  });

  describe('correlation ids', () => {
    it('reuses MS-RequestId and MS-CorrelationId across the retries of one Partner Center request, and not across calls', async () => {
      server.script('GET /v1/customers/cust-1', { status: 503, body: '' }, { reset: true }, fixtureResponse('pc-customer-by-id.json'));
      const client = partnerCenter();

      await client.getCustomer('pc-token', 'cust-1');
      await client.getCustomer('pc-token', 'cust-1');

      const [first, second, third, fourth] = server.requests;
      expect(new Set([first, second, third].map((request) => request.headers['ms-requestid'])).size).toBe(1);
      expect(new Set([first, second, third].map((request) => request.headers['ms-correlationid'])).size).toBe(1);
      expect(fourth.headers['ms-requestid']).not.toBe(first.headers['ms-requestid']);
      expect(fourth.headers['ms-correlationid']).not.toBe(first.headers['ms-correlationid']);
      expect(events.slice(0, 3).map((event) => event.requestId)).toEqual(Array(3).fill(first.headers['ms-requestid']));
    });

    it("reuses Graph's client-request-id across retries of one request", async () => {
      server.script('GET /v1.0/me', { status: 502, json: graphError('bad gateway') }, { json: { id: 'me' } });

      await graph().getMe('graph-token');

      expect(server.requests[0].headers['client-request-id']).toMatch(GUID);
      expect(server.requests[1].headers['client-request-id']).toBe(server.requests[0].headers['client-request-id']);
    });
  });

  describe('subscription quantity (PATCH)', () => {
    const subscription = () => fixtureJson('pc-subscriptions-list.json').items[0];
    const path = '/v1/customers/cust-1/subscriptions/83ef9d05-4169-4ef9-9657-0e86b1eab1de';

    it('sends the whole current subscription with the new quantity', async () => {
      server.script(`GET ${path}`, { json: subscription() });
      server.script(`PATCH ${path}`, (request) => ({
        json: { ...JSON.parse(request.body), attributes: { etag: 'new', objectType: 'Subscription' } },
      }));

      const result = await partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', '83ef9d05-4169-4ef9-9657-0e86b1eab1de', 5);

      expect(result).toMatchObject({ state: 'updated', subscription: { quantity: 5, attributes: { etag: 'new' } } });
      const patch = server.requestsTo(`PATCH ${path}`)[0];
      expect(patch.headers['content-type']).toBe('application/json');
      expect(patch.headers['ms-contract-version']).toBe('v1');
      expect(JSON.parse(patch.body)).toEqual({ ...subscription(), quantity: 5 });
    });

    it('reports a 202 as accepted, with the Location to poll', async () => {
      server.script(`GET ${path}`, { json: subscription() });
      server.script(`PATCH ${path}`, { status: 202, headers: { location: '/customers/cust-1/subscriptions/83ef9d05' }, body: '' });

      await expect(
        partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', '83ef9d05-4169-4ef9-9657-0e86b1eab1de', 3),
      ).resolves.toEqual({
        state: 'accepted',
        location: '/customers/cust-1/subscriptions/83ef9d05',
      });
    });

    it('does not retry the PATCH after a 503', async () => {
      server.script(`GET ${path}`, { json: subscription() });
      server.script(`PATCH ${path}`, { status: 503, body: '' });

      await expect(
        partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', '83ef9d05-4169-4ef9-9657-0e86b1eab1de', 5),
      ).rejects.toMatchObject({
        status: 503,
        attempts: 1,
        method: 'PATCH',
      });
      expect(server.requestsTo(`PATCH ${path}`)).toHaveLength(1);
      expect(clock.waits).toEqual([]);
    });

    it('does not send the PATCH again when its 200 answer was cut off (the change was made)', async () => {
      server.script(`GET ${path}`, { json: subscription() });
      server.script(`PATCH ${path}`, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"83ef9d05-4169' });

      await expect(
        partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', '83ef9d05-4169-4ef9-9657-0e86b1eab1de', 5),
      ).rejects.toMatchObject({ code: 'malformed_response', attempts: 1 });
      expect(server.requestsTo(`PATCH ${path}`)).toHaveLength(1);
    });

    it('retries the PATCH after a 429 or a reset, with the same MS-RequestId', async () => {
      server.script(`GET ${path}`, { json: subscription() });
      server.script(
        `PATCH ${path}`,
        fixtureResponse('pc-error-429-throttled.json', 429, { 'retry-after': '1' }),
        { reset: true },
        (request) => ({ json: JSON.parse(request.body) }),
      );

      const result = await partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', '83ef9d05-4169-4ef9-9657-0e86b1eab1de', 7);

      expect(result).toMatchObject({ state: 'updated', subscription: { quantity: 7 } });
      const patches = server.requestsTo(`PATCH ${path}`);
      expect(patches).toHaveLength(3);
      expect(new Set(patches.map((request) => request.headers['ms-requestid'])).size).toBe(1);
      expect(clock.waits).toEqual([1_000, 1_500]); // Retry-After, then the backoff of a second retry
    });

    it('rejects a quantity that is not a whole number', async () => {
      await expect(partnerCenter().updateSubscriptionQuantity('pc-token', 'cust-1', 'sub-1', 2.5)).rejects.toThrow(RangeError);
      expect(server.requests).toHaveLength(0);
    });
  });
});
