import { DEMO_CUSTOMERS, type EmulatorOptions } from '../../libs/microsoft-emulator/src';
import {
  latencySampler,
  meanLatencyMs,
  seededRandom,
  graphRequestCost,
  graphTenantLimit,
} from '../../libs/microsoft-emulator/src/http/realism';
import {
  callApi,
  CONTOSO,
  control,
  controlGet,
  fixture,
  graphToken,
  partnerSession,
  startTestEmulator,
  type TestEmulator,
} from './support/emulator-test-kit';

const pcThrottledSample = fixture('pc-error-429-throttled.json');
const graphThrottledSample = fixture('graph-error-429-throttled.json');
const keys = (value: object) => Object.keys(value).sort();
const adatum = DEMO_CUSTOMERS.adatum.id;
const FROZEN_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

// The benchmarks' realistic Microsoft: documented throttling on a frozen clock moved through the control API,
// latency off (it has its own test) so every answer is immediate.
describe('realistic Microsoft for benchmarks', () => {
  let env: TestEmulator;
  afterEach(async () => env?.emulator.close());

  const start = (realism: EmulatorOptions['realism']) => startTestEmulator({ now: () => FROZEN_NOW, realism });

  it('is off by default: the tests keep their simple windows and no realism counters exist', async () => {
    env = await startTestEmulator({ now: () => FROZEN_NOW });
    const response = await fetch(`${env.url}/__emulator/realism`);
    expect(response.status).toBe(404);
  });

  it('limits Partner Center per partner, with the documented 429 body and Retry-After, until the window moves on', async () => {
    env = await start({ latency: false, partnerCenter: { perPartner: { limit: 3, windowSeconds: 10 } } });
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);
    const statuses = [];
    // Different routes count against the same partner.
    for (const path of ['/v1/customers?size=1', `/v1/customers/${adatum}/subscriptions`, '/v1/invoices'])
      statuses.push((await callApi(env, path, partnerCenterToken)).status);
    const throttled = await callApi(env, `/v1/customers/${adatum}/subscribedskus`, partnerCenterToken);

    expect(statuses).toEqual([200, 200, 200]);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('10');
    expect(keys(throttled.body)).toEqual(keys(pcThrottledSample));
    expect(throttled.body).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 10 seconds.' });
    await control(env, 'POST', 'clock', { advanceSeconds: 10 });
    expect((await callApi(env, `/v1/customers/${adatum}/subscribedskus`, partnerCenterToken)).status).toBe(200);
    expect((await controlGet(env, 'realism')).throttled).toEqual({ 'partner-center per partner': 1 });
  });

  it('limits Partner Center per partner + customer on a customer’s routes (500 a minute by default); other customers are not affected', async () => {
    env = await start({ latency: false, partnerCenter: { perCustomer: { limit: 2, windowSeconds: 60 } } });
    expect((await controlGet(env, 'realism')).options.partnerCenter.perPartner).toEqual({ limit: 1_000, windowSeconds: 10 });
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);
    for (let i = 0; i < 2; i++) expect((await callApi(env, `/v1/customers/${adatum}/subscriptions`, partnerCenterToken)).status).toBe(200);

    const throttled = await callApi(env, `/v1/customers/${adatum}/subscriptions`, partnerCenterToken);

    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect((await callApi(env, `/v1/customers/${DEMO_CUSTOMERS.alpine.id}/subscriptions`, partnerCenterToken)).status).toBe(200);
    await control(env, 'POST', 'clock', { advanceSeconds: 60 });
    expect((await callApi(env, `/v1/customers/${adatum}/subscriptions`, partnerCenterToken)).status).toBe(200);
  });

  it('limits Graph per app + tenant with a token bucket in resource units, with Graph’s 429 headers and a fractional Retry-After', async () => {
    env = await start({ latency: false, graph: { perTenantPer10Seconds: 7, withoutRetryAfter: 0 } });
    const session = await partnerSession(env, `s365@${CONTOSO}`);
    const token = await graphToken(env, session.refreshToken, adatum);
    const first = await callApi(env, '/v1.0/subscribedSkus', token);
    const second = await callApi(env, '/v1.0/subscribedSkus', token);

    const throttled = await callApi(env, '/v1.0/subscribedSkus', token);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers.get('x-ms-resource-unit')).toBe('3');
    // 6 of 7 units used.
    expect(second.headers.get('x-ms-throttle-limit-percentage')).toBe('0.9');
    expect(throttled.status).toBe(429);
    // 2 units missing at 0.7 units a second.
    expect(throttled.headers.get('retry-after')).toBe('2.857');
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(`Tenant_Application/ReadWrite/${env.app.clientId}/${adatum}`);
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect(keys(throttled.body.error)).toEqual(keys(graphThrottledSample.error));
    expect(throttled.body.error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', status: '429' },
    });
    // A cheaper request (directory/subscriptions: 1 unit) still fits; the partner's own directory has its own bucket.
    expect((await callApi(env, '/v1.0/directory/subscriptions', token)).status).toBe(200);
    expect((await callApi(env, '/v1.0/organization', await graphToken(env, session.refreshToken))).status).toBe(200);
    // The unit just spent is missing too: 3 units at 0.7 a second.
    await control(env, 'POST', 'clock', { advanceSeconds: 4 });
    expect((await callApi(env, '/v1.0/subscribedSkus', token)).status).toBe(429);
    await control(env, 'POST', 'clock', { advanceSeconds: 1 });
    expect((await callApi(env, '/v1.0/subscribedSkus', token)).status).toBe(200);
  });

  it('sends some Graph 429s without Retry-After, as some tiers do', async () => {
    env = await start({ latency: false, graph: { perTenantPer10Seconds: 3, withoutRetryAfter: 1 } });
    const session = await partnerSession(env, `s365@${CONTOSO}`);
    const token = await graphToken(env, session.refreshToken, adatum);
    await callApi(env, '/v1.0/subscribedSkus', token);

    const throttled = await callApi(env, '/v1.0/subscribedSkus', token);

    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(throttled.body.error.code).toBe('TooManyRequests');
  });

  it('refuses a request beyond the requests one limit key may have in flight, without Retry-After', async () => {
    env = await start({ latency: { p50Ms: 300, p99Ms: 300 }, maxConcurrentPerKey: 1 });
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);

    const answers = await Promise.all([callApi(env, '/v1/invoices', partnerCenterToken), callApi(env, '/v1/invoices', partnerCenterToken)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429]);
    expect(answers.find((answer) => answer.status === 429)!.headers.get('retry-after')).toBeNull();
    expect((await controlGet(env, 'realism')).throttled).toEqual({ 'too many requests in flight': 1 });
    // The slot is free again once the first answer was sent.
    expect((await callApi(env, '/v1/invoices', partnerCenterToken)).status).toBe(200);
  });
});

describe('realism building blocks', () => {
  it('draws seeded log-normal latencies with the configured median and 99th percentile', () => {
    const draw = () => {
      const sample = latencySampler(150, 1_000, seededRandom(7));
      return Array.from({ length: 20_000 }, sample).sort((a, b) => a - b);
    };
    const samples = draw();

    expect(draw()).toEqual(samples);
    expect(samples[10_000]).toBeGreaterThan(140);
    expect(samples[10_000]).toBeLessThan(160);
    expect(samples[19_800]).toBeGreaterThan(850);
    expect(samples[19_800]).toBeLessThan(1_150);
    expect(meanLatencyMs(150, 1_000)).toBeCloseTo(209.2, 0);
  });

  it('costs Graph requests in resource units as §3.6 lists them, and sizes tenants by their users', () => {
    expect(graphRequestCost('subscribedSkus', {})).toBe(3);
    expect(graphRequestCost('subscribedSkus', { $select: 'skuId' })).toBe(2);
    expect(graphRequestCost('directory', { $top: '5' })).toBe(1);
    expect(graphRequestCost('users', { $expand: 'manager' })).toBe(3);
    expect([graphTenantLimit(10), graphTenantLimit(50), graphTenantLimit(501)]).toEqual([3_500, 5_000, 8_000]);
  });
});
