import { AdaptiveConcurrency, MicrosoftHttpClient } from '../../libs/microsoft/src';
import { limitKey } from '../../libs/microsoft/src/http/microsoft-http.client';

// A fake clock: timers fire only when the test moves time on.
function fakeClock() {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => void timers.push({ at: now + ms, callback }),
    async advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
      await flush();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// Starts `count` acquisitions and reports which have their slot so far.
function acquireMany(limiter: AdaptiveConcurrency, key: string, count: number) {
  const granted: ((outcome: 'ok' | 'throttled' | 'failed', retryAfterMs?: number) => void)[] = [];
  const all = Array.from({ length: count }, () => limiter.acquire(key).then((release) => void granted.push(release)));
  return { granted, all };
}

describe('AdaptiveConcurrency (AIMD per limit key)', () => {
  it('starts at the ceiling and queues what exceeds it, first come first served', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 3, now: clock.now, setTimer: clock.setTimer });
    const { granted } = acquireMany(limiter, 'pc|partner', 5);
    await flush();

    expect(granted).toHaveLength(3);
    expect(limiter.stats('pc|partner')).toMatchObject({ window: 3, inFlight: 3, waiting: 2 });
    granted[0]('ok');
    await flush();
    expect(granted).toHaveLength(4);
  });

  it('halves the window on a 429 without Retry-After, once per burst, and rests the key meanwhile', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 8, decreaseCooldownMs: 1_000, now: clock.now, setTimer: clock.setTimer });
    const { granted } = acquireMany(limiter, 'graph|tenant', 10);
    await flush();
    expect(granted).toHaveLength(8);

    // Three 429s of the same burst count as one decrease.
    granted[0]('throttled');
    granted[1]('throttled');
    granted[2]('throttled');
    await flush();
    expect(limiter.stats('graph|tenant')).toMatchObject({ window: 4, inFlight: 5, waiting: 2, throttled: 3 });

    // Window 4 with 5 in flight: nothing starts, even once the rest has passed, until the window has room.
    await clock.advance(1_000);
    expect(granted).toHaveLength(8);
    granted[3]('ok');
    granted[4]('ok');
    await flush();
    expect(granted).toHaveLength(9);
  });

  it('keeps the window on a 429 with Retry-After: the key waits the named time, then is as wide as before', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 8, decreaseCooldownMs: 1_000, now: clock.now, setTimer: clock.setTimer });
    const { granted } = acquireMany(limiter, 'pc|partner', 16);
    await flush();
    expect(granted).toHaveLength(8);

    // Partner Center's window is full: every request in flight comes back 429 "try again in 3 seconds".
    for (const release of granted.slice(0, 8)) release('throttled', 3_000);
    await flush();
    expect(limiter.stats('pc|partner')).toMatchObject({ window: 8, inFlight: 0, waiting: 8, throttled: 8 });

    await clock.advance(2_999);
    expect(granted).toHaveLength(8);
    // Once the wait has passed, the whole window goes at once.
    await clock.advance(1);
    expect(granted).toHaveLength(16);
    expect(limiter.stats('pc|partner')!.window).toBe(8);
  });

  it('still halves on a 429 without Retry-After that follows one with it', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 8, decreaseCooldownMs: 1_000, now: clock.now, setTimer: clock.setTimer });
    (await limiter.acquire('k'))('throttled', 2_000);
    expect(limiter.stats('k')!.window).toBe(8);
    await clock.advance(2_000);
    (await limiter.acquire('k'))('throttled');
    expect(limiter.stats('k')!.window).toBe(4);
    // A Retry-After of 0 names no wait: backed off like a 429 without one.
    await clock.advance(1_000);
    (await limiter.acquire('k'))('throttled', 0);
    expect(limiter.stats('k')!.window).toBe(2);
  });

  it('waits out Retry-After even with free slots, then lets the waiting requests go', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 4, now: clock.now, setTimer: clock.setTimer });
    const first = await limiter.acquire('k');
    first('throttled', 5_000);
    const { granted } = acquireMany(limiter, 'k', 2);
    await flush();
    expect(granted).toHaveLength(0);

    await clock.advance(4_999);
    expect(granted).toHaveLength(0);
    await clock.advance(1);
    expect(granted).toHaveLength(2);
  });

  it('rests a moment after a 429 without Retry-After (its own backoff)', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 4, decreaseCooldownMs: 1_000, now: clock.now, setTimer: clock.setTimer });
    (await limiter.acquire('k'))('throttled');
    const { granted } = acquireMany(limiter, 'k', 1);
    await flush();
    expect(granted).toHaveLength(0);
    await clock.advance(1_000);
    expect(granted).toHaveLength(1);
  });

  it("does not rest Partner Center's key after a 429 without Retry-After: the halved window answers it", async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 4, decreaseCooldownMs: 1_000, now: clock.now, setTimer: clock.setTimer });
    const first = acquireMany(limiter, 'partner-center|p-1', 6);
    await flush();
    expect(first.granted).toHaveLength(4);
    // Partner Center names its wait on every rate-limit 429 (FACTS §2.12): one without it refused that request alone.
    first.granted[0]('throttled');
    first.granted[1]('ok');
    first.granted[2]('ok');
    await flush();
    // Window 2 (then 2.5, 2.9) with one in flight: a waiting request starts at once, no second of rest.
    expect(limiter.stats('partner-center|p-1')).toMatchObject({ inFlight: 2, waiting: 1 });
    expect(first.granted).toHaveLength(5);
    // Graph's keys still rest (its token buckets may refuse without Retry-After, §3.6).
    const graph = acquireMany(limiter, 'graph|c-1|app', 2);
    await flush();
    graph.granted[0]('throttled');
    const later = acquireMany(limiter, 'graph|c-1|app', 1);
    await flush();
    expect(later.granted).toHaveLength(0);
    await clock.advance(1_000);
    expect(later.granted).toHaveLength(1);
  });

  it('grows back by about one request per window of clean answers, never past the ceiling nor below the floor', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 4, now: clock.now, setTimer: clock.setTimer });
    for (let i = 0; i < 4; i++) {
      (await limiter.acquire('k'))('throttled');
      await clock.advance(1_000);
    }
    expect(limiter.stats('k')!.window).toBe(1);

    for (let i = 0; i < 3; i++) (await limiter.acquire('k'))('ok');
    // 1 → 2 → 2.5 → 2.9
    expect(limiter.stats('k')!.window).toBeCloseTo(2.9, 5);
    for (let i = 0; i < 50; i++) (await limiter.acquire('k'))('ok');
    expect(limiter.stats('k')!.window).toBe(4);
    // Server errors say nothing about the limit.
    (await limiter.acquire('k'))('failed');
    expect(limiter.stats('k')!.window).toBe(4);
  });

  it('keeps keys apart', async () => {
    const clock = fakeClock();
    const limiter = new AdaptiveConcurrency({ max: 2, now: clock.now, setTimer: clock.setTimer });
    (await limiter.acquire('a'))('throttled', 60_000);
    const b = acquireMany(limiter, 'b', 2);
    await flush();
    expect(b.granted).toHaveLength(2);
  });
});

describe('limit keys', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const headers = (token: string) => new Headers({ authorization: `Bearer ${token}` });

  it('groups Partner Center requests per partner tenant and Graph requests per app + tenant, from the token', () => {
    expect(limitKey('partner-center', headers(jwt({ tid: 'P-1', appid: 'app' })))).toBe('partner-center|p-1');
    expect(limitKey('graph', headers(jwt({ tid: 'C-1', appid: 'app' })))).toBe('graph|c-1|app');
    expect(limitKey('graph', headers('not-a-jwt'))).toBe('graph');
  });

  it('lets the HTTP client hold a request until its key has a slot', async () => {
    const limiter = new AdaptiveConcurrency({ max: 1 });
    const release = await limiter.acquire('partner-center|p-1');
    const client = new MicrosoftHttpClient({
      service: 'partner-center',
      baseUrl: 'https://127.0.0.1:9',
      concurrency: limiter,
      retry: { maxAttempts: 1 },
      timeoutMs: 1_000,
    });
    let settled = false;
    const call = client
      .request({ path: '/v1/customers', accessToken: jwt({ tid: 'p-1' }) })
      .catch(() => undefined)
      .finally(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    expect(limiter.stats('partner-center|p-1')).toMatchObject({ waiting: 1 });
    release('ok');
    await call;
    expect(settled).toBe(true);
  });
});
