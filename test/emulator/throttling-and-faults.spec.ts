import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  CONTOSO,
  control,
  controlGet,
  expectApiFault,
  expectGraphError,
  fixture,
  graphToken,
  partnerSession,
  refresh,
  GRAPH_DEFAULT_SCOPE,
  startTestEmulator,
  TAILSPIN,
  useTestEmulator,
  type PartnerSession,
} from './support/emulator-test-kit';

const pcThrottledSample = fixture('pc-error-429-throttled.json');
const graphThrottledSample = fixture('graph-error-429-throttled.json');
const keys = (value: object) => Object.keys(value).sort();
const adatum = DEMO_CUSTOMERS.adatum.id;

// A frozen clock, moved only through the control API, so Retry-After values are exact.
const FROZEN_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('throttling and fault injection', () => {
  const env = useTestEmulator({ now: () => FROZEN_NOW });
  let contoso: PartnerSession;

  beforeEach(async () => {
    contoso = await partnerSession(env, `s365@${CONTOSO}`);
  });

  const pc = (path: string, token = contoso.partnerCenterToken) => callApi(env, path, token);

  describe('Partner Center rate limit', () => {
    it('answers 429 with Retry-After and Microsoft body once a partner exceeds the limit of an endpoint group, until the window moves on', async () => {
      await control(env, 'POST', 'settings', { partnerCenter: { throttle: { limit: 3, windowSeconds: 60 } } });
      for (let i = 0; i < 3; i++) expect((await pc('/v1/customers?size=1')).status).toBe(200);

      const throttled = await pc('/v1/customers?size=1');

      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('60');
      expect(keys(throttled.body)).toEqual(keys(pcThrottledSample));
      expect(throttled.body).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 60 seconds.' });
      expect(throttled.headers.get('ms-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
      // Other groups and other partners have their own budget.
      expect((await pc(`/v1/customers/${adatum}/subscriptions`)).status).toBe(200);
      expect((await pc('/v1/customers?size=1', (await partnerSession(env, `s365@${TAILSPIN}`)).partnerCenterToken)).status).toBe(200);

      await control(env, 'POST', 'clock', { advanceSeconds: 59 });
      expect((await pc('/v1/customers?size=1')).headers.get('retry-after')).toBe('1');
      await control(env, 'POST', 'clock', { advanceSeconds: 1 });
      expect((await pc('/v1/customers?size=1')).status).toBe(200);
    });

    it('gives Retry-After as the seconds until the oldest request leaves the window', async () => {
      await control(env, 'POST', 'settings', { partnerCenter: { throttle: { limit: 2, windowSeconds: 60 } } });
      await pc('/v1/customers?size=1');
      await control(env, 'POST', 'clock', { advanceSeconds: 20 });
      await pc('/v1/customers?size=1');

      const throttled = await pc('/v1/customers?size=1');

      expect(throttled.headers.get('retry-after')).toBe('40');
    });

    it('defaults to 500 requests a minute, configurable through the emulator options', async () => {
      expect((await controlGet(env, 'settings')).partnerCenter.throttle).toEqual({ limit: 500, windowSeconds: 60 });

      const limited = await startTestEmulator({ now: () => FROZEN_NOW, throttling: { partnerCenter: { limit: 1 } } });
      try {
        const session = await partnerSession(limited, `s365@${CONTOSO}`);
        expect((await callApi(limited, '/v1/invoices', session.partnerCenterToken)).status).toBe(200);
        expect((await callApi(limited, '/v1/invoices', session.partnerCenterToken)).status).toBe(429);
        // A reset returns to the options' limits, not to the defaults.
        await control(limited, 'POST', 'reset');
        expect((await controlGet(limited, 'settings')).partnerCenter.throttle).toEqual({ limit: 1, windowSeconds: 60 });
      } finally {
        await limited.emulator.close();
      }
    });

    it('refuses invalid settings', async () => {
      expect((await control(env, 'POST', 'settings', { partnerCenter: { throttle: { limit: 0 } } })).status).toBe(400);
      expect((await control(env, 'POST', 'settings', { partnerCenter: { nextLinkPrefix: '/v2' } })).status).toBe(400);
      expect((await control(env, 'POST', 'settings', { nope: true })).status).toBe(400);
    });
  });

  describe('Graph rate limit', () => {
    it('answers 429 with the sample body, every other time without Retry-After', async () => {
      await control(env, 'POST', 'settings', { graph: { throttle: { limit: 1, windowSeconds: 10 } } });
      const token = await graphToken(env, contoso.refreshToken, adatum);
      expect((await callApi(env, '/v1.0/subscribedSkus', token)).status).toBe(200);

      const throttled = [];
      for (let i = 0; i < 4; i++) throttled.push(await callApi(env, '/v1.0/subscribedSkus', token));

      expect(throttled.map((response) => response.status)).toEqual([429, 429, 429, 429]);
      expect(throttled.map((response) => response.headers.get('retry-after'))).toEqual(['10', null, '10', null]);
      expect(keys(throttled[0].body.error)).toEqual(keys(graphThrottledSample.error));
      expect(keys(throttled[0].body.error.innerError)).toEqual(keys(graphThrottledSample.error.innerError));
      expect(throttled[0].body.error).toMatchObject({
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: { code: '429', status: '429' },
      });
      // The limit is per tenant: the partner's own directory is not affected.
      expect((await callApi(env, '/v1.0/organization', await graphToken(env, contoso.refreshToken))).status).toBe(200);
      await control(env, 'POST', 'clock', { advanceSeconds: 10 });
      expect((await callApi(env, '/v1.0/subscribedSkus', token)).status).toBe(200);
    });
  });

  describe('faults', () => {
    it('answers an injected status with the service error body and Retry-After, for `count` requests', async () => {
      const added = await control(env, 'POST', 'faults', {
        method: 'GET',
        path: '/v1/customers/*/subscribedskus',
        status: 503,
        retryAfterSeconds: 7,
        count: 1,
      });
      expect(added.status).toBe(201);
      expect((await controlGet(env, 'faults')).map((fault: { path: string }) => fault.path)).toEqual(['/v1/customers/*/subscribedskus']);

      const faulted = await pc(`/v1/customers/${adatum}/subscribedskus`);
      const next = await pc(`/v1/customers/${adatum}/subscribedskus`);

      expectApiFault(faulted, 503, 800003);
      expect(faulted.headers.get('retry-after')).toBe('7');
      expect(next.status).toBe(200);
      expect(await controlGet(env, 'faults')).toEqual([]);
      // Faulted requests are counted like the others.
      expect((await controlGet(env, 'requests'))['GET /v1/customers/{customerId}/subscribedskus']).toBe(2);
    });

    it('matches a customer id and leaves other customers alone', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/customers/**', customerId: DEMO_CUSTOMERS.coho.id, status: 500 });

      expect((await pc(`/v1/customers/${adatum}/subscriptions`)).status).toBe(200);
      expectApiFault(await pc(`/v1/customers/${DEMO_CUSTOMERS.coho.id}/subscriptions`), 500, 800003);
      expectApiFault(await pc(`/v1/customers/${DEMO_CUSTOMERS.coho.id}`), 500, 800003);
    });

    it('matches a customer through the token tenant on Graph, and answers with the Graph envelope', async () => {
      await control(env, 'POST', 'faults', { path: '/v1.0/**', customerId: DEMO_CUSTOMERS.coho.id, status: 502 });

      expect((await callApi(env, '/v1.0/subscribedSkus', await graphToken(env, contoso.refreshToken, adatum))).status).toBe(200);
      expectGraphError(
        await callApi(env, '/v1.0/subscribedSkus', await graphToken(env, contoso.refreshToken, DEMO_CUSTOMERS.coho.id)),
        502,
        'BadGateway',
      );
    });

    it('answers an injected 429 on Partner Center with the throttling body', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/customers', status: 429, retryAfterSeconds: 3, count: 1 });

      const response = await pc('/v1/customers');

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(response.body).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 3 seconds.' });
    });

    it('answers an injected token endpoint fault in AADSTS shape, for one customer directory only', async () => {
      await control(env, 'POST', 'faults', { method: 'POST', path: '/*/oauth2/v2.0/token', customerId: adatum, status: 503 });

      const faulted = await refresh(env, contoso.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, adatum);
      const other = await refresh(env, contoso.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, DEMO_CUSTOMERS.coho.id);

      expect(faulted.status).toBe(503);
      expect(faulted.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
      expect(other.status).toBe(200);
    });

    it('resets the connection', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/invoices', kind: 'reset', count: 1 });

      await expect(
        fetch(`${env.url}/v1/invoices`, { headers: { authorization: `Bearer ${contoso.partnerCenterToken}` } }),
      ).rejects.toThrow();
      expect((await pc('/v1/invoices')).status).toBe(200);
    });

    it('answers 200 with a truncated JSON body', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/customers', kind: 'malformed', count: 1 });

      const broken = await pc('/v1/customers?size=5');
      const whole = await pc('/v1/customers?size=5');

      expect(broken.status).toBe(200);
      expect(broken.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(() => JSON.parse(broken.text)).toThrow(SyntaxError);
      expect(broken.text.length).toBeGreaterThan(0);
      expect(whole.text.startsWith(broken.text.slice(0, 20))).toBe(true);
    });

    it('delays the answer by latencyMs', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/profiles/mpn', latencyMs: 300, count: 1 });
      const started = Date.now();

      const response = await pc('/v1/profiles/mpn');

      expect(response.status).toBe(200);
      // A lower bound only: the fault waits at least this long before answering.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });

    it('matches the method, and can be removed one by one or all at once', async () => {
      const rule = (await control(env, 'POST', 'faults', { method: 'PATCH', path: '/v1/customers/**', status: 500 })).body;
      await control(env, 'POST', 'faults', { path: '/v1/invoices', status: 500 });

      expect((await pc(`/v1/customers/${adatum}/subscriptions`)).status).toBe(200);
      expect((await control(env, 'DELETE', `faults/${rule.id}`)).status).toBe(200);
      expect((await controlGet(env, 'faults')).map((fault: { path: string }) => fault.path)).toEqual(['/v1/invoices']);
      expect((await control(env, 'DELETE', 'faults')).status).toBe(200);
      expect((await pc('/v1/invoices')).status).toBe(200);
    });

    it('refuses an invalid fault rule', async () => {
      expect((await control(env, 'POST', 'faults', { path: 'no-slash', status: 500 })).status).toBe(400);
      expect((await control(env, 'POST', 'faults', { path: '/v1/**', status: 200 })).status).toBe(400);
      expect((await control(env, 'POST', 'faults', { path: '/v1/**' })).status).toBe(400);
      expect((await control(env, 'POST', 'faults', { path: '/v1/**', status: 500, count: 0 })).status).toBe(400);
    });

    it('forgets faults on reset', async () => {
      await control(env, 'POST', 'faults', { path: '/v1/**', status: 500 });

      await control(env, 'POST', 'reset');

      expect(await controlGet(env, 'faults')).toEqual([]);
    });
  });
});
