import type { RequestHandler, Response } from 'express';

// A realistic local Microsoft for benchmarks (off unless EmulatorOptions.realism is given): each answer takes a
// seeded random time, and Microsoft's documented throttling applies instead of the simple per-group window the
// tests use. FACTS.md §2.12 (Partner Center) and §3.6 (Graph). Numbers Microsoft does not publish are marked
// "assumed" below and are options.
export interface RealismOptions {
  // Log-normal latency per answer (Microsoft's own service time plus the internet): p50 ≈ 150 ms, p99 ≈ 1 s.
  latency?: { p50Ms?: number; p99Ms?: number } | false;
  seed?: number; // latency and "429 without Retry-After" draws; same seed, same world
  partnerCenter?: {
    // §2.12: "500 requests per minute per tenant identifier" on the customer and subscription resources, keyed per
    // partner + customer for per-customer routes (assumed: the documented figure applies per customer).
    perCustomer?: WindowLimit;
    // Assumed (no numeric limit is published; "dynamically adjust"): every request of one partner tenant.
    perPartner?: WindowLimit;
  };
  graph?: {
    // Assumed: §3.6 publishes no size for the partner's own directory; a tenant with more than `largeTenantUsers`
    // users counts as large (8,000 RU / 10 s), fewer than 50 small (3,500), medium otherwise (5,000).
    perAppPer20Seconds?: number; // §3.6: 150,000 RU per app per 20 s
    perTenantPer10Seconds?: number; // overrides the size-based limit (tests)
    withoutRetryAfter?: number; // share of Graph 429s sent without Retry-After ("some tiers"), default 0.1
  };
  // Assumed (nothing is published for these APIs): requests one limit key may have in flight at once; more are
  // answered 429 without Retry-After, as services that limit concurrency do. The lower bound of the benchmark uses it.
  maxConcurrentPerKey?: number;
}

export interface WindowLimit {
  limit: number;
  windowSeconds: number;
}

export const REALISTIC_DEFAULTS = {
  latency: { p50Ms: 150, p99Ms: 1_000 },
  seed: 1,
  partnerCenter: { perCustomer: { limit: 500, windowSeconds: 60 }, perPartner: { limit: 1_000, windowSeconds: 10 } },
  graph: { perAppPer20Seconds: 150_000, withoutRetryAfter: 0.1 },
  maxConcurrentPerKey: 32,
} as const;

export type ThrottleOutcome =
  | { ok: true; release: () => void; resourceUnits?: number; limitPercentage?: number }
  | { ok: false; retryAfterSeconds?: number; scope?: string; information?: string };

// Graph identity & access tier (§3.6): resource-unit cost of a GET by route, before query adjustments.
const GRAPH_COSTS: Record<string, number> = { subscribedSkus: 3, users: 2, memberOf: 2, contracts: 3 };

export function graphRequestCost(throttleGroup: string, query: Record<string, unknown>): number {
  let cost = GRAPH_COSTS[throttleGroup] ?? 1;
  if (query.$select !== undefined) cost -= 1;
  const top = Number(query.$top);
  if (query.$top !== undefined && Number.isFinite(top) && top < 20) cost -= 1;
  if (query.$expand !== undefined) cost += 1;
  return Math.max(1, cost);
}

// §3.6 tenant sizes: S < 50 users, M 50–500, L > 500.
export function graphTenantLimit(users: number): number {
  if (users < 50) return 3_500;
  if (users <= 500) return 5_000;
  return 8_000;
}

// A seeded PRNG (mulberry32): the same seed gives the same latencies and the same 429s without Retry-After.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Log-normal with the given median and 99th percentile: ln X ~ N(ln p50, σ), σ = ln(p99/p50) / z(0.99).
export function latencySampler(p50Ms: number, p99Ms: number, random: () => number): () => number {
  const sigma = Math.log(Math.max(p99Ms, p50Ms) / p50Ms) / 2.3263;
  return () => {
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return p50Ms * Math.exp(sigma * z);
  };
}

export function meanLatencyMs(p50Ms: number, p99Ms: number): number {
  const sigma = Math.log(Math.max(p99Ms, p50Ms) / p50Ms) / 2.3263;
  return p50Ms * Math.exp((sigma * sigma) / 2);
}

// Sliding window on the emulator clock (a refused request does not count).
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly limit: WindowLimit) {}

  take(now: number): number | null {
    const windowMs = this.limit.windowSeconds * 1000;
    while (this.head < this.times.length && this.times[this.head] <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head >= this.limit.limit) {
      const oldest = this.times[this.times.length - this.limit.limit];
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    }
    this.times.push(now);
    return null;
  }
}

// Token bucket: `capacity` resource units refilled evenly over `periodSeconds` (Graph's "RU per 10 s").
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    private readonly periodSeconds: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  // Seconds until `cost` units are available (0: taken now).
  take(cost: number, now: number): number {
    const rate = this.capacity / (this.periodSeconds * 1000);
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * rate);
    this.updatedAt = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return (cost - this.tokens) / rate / 1000;
  }

  usedShare(): number {
    return 1 - this.tokens / this.capacity;
  }
}

export interface RealismCounters {
  throttled: Record<string, number>; // 429s by cause
  callsByKey: Record<string, number>; // requests let through, by limit key
  resourceUnitsByKey: Record<string, number>; // resource units of the requests let through
}

// The state of the realistic world: windows, buckets, requests in flight, and the random draws.
export class Realism {
  readonly options: Required<Pick<RealismOptions, 'maxConcurrentPerKey'>> & {
    latency: { p50Ms: number; p99Ms: number } | false;
    partnerCenter: { perCustomer: WindowLimit; perPartner: WindowLimit };
    graph: { perAppPer20Seconds: number; withoutRetryAfter: number; perTenantPer10Seconds?: number };
  };
  private readonly random: () => number;
  private readonly sample: () => number;
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly inFlight = new Map<string, number>();
  counters: RealismCounters = { throttled: {}, callsByKey: {}, resourceUnitsByKey: {} };

  constructor(options: RealismOptions) {
    const latency = options.latency === false ? false : { ...REALISTIC_DEFAULTS.latency, ...options.latency };
    this.options = {
      latency,
      maxConcurrentPerKey: options.maxConcurrentPerKey ?? REALISTIC_DEFAULTS.maxConcurrentPerKey,
      partnerCenter: { ...REALISTIC_DEFAULTS.partnerCenter, ...options.partnerCenter },
      graph: { ...REALISTIC_DEFAULTS.graph, ...options.graph },
    };
    this.random = seededRandom(options.seed ?? REALISTIC_DEFAULTS.seed);
    this.sample = latency ? latencySampler(latency.p50Ms, latency.p99Ms, this.random) : () => 0;
  }

  latencyMs(): number {
    return this.sample();
  }

  // Partner Center: every request counts against its partner; per-customer routes also against partner + customer.
  partnerCenter(partnerTenantId: string, customerTenantId: string | undefined, now: number): ThrottleOutcome {
    const partnerKey = `pc|${partnerTenantId}`;
    const keys: [string, WindowLimit][] = [[partnerKey, this.options.partnerCenter.perPartner]];
    if (customerTenantId) keys.push([`pc|${partnerTenantId}|${customerTenantId.toLowerCase()}`, this.options.partnerCenter.perCustomer]);
    for (const [key, limit] of keys) {
      let window = this.windows.get(key);
      if (!window) this.windows.set(key, (window = new SlidingWindow(limit)));
      const retryAfter = window.take(now);
      if (retryAfter !== null)
        return this.refused(key === partnerKey ? 'partner-center per partner' : 'partner-center per partner+customer', retryAfter);
    }
    return this.admit(partnerKey);
  }

  // Graph: a token bucket per app + tenant (size by the tenant's users) and one per app, costs in resource units.
  graph(appId: string, tenantId: string, tenantUsers: number, cost: number, now: number): ThrottleOutcome {
    const key = `graph|${appId}|${tenantId.toLowerCase()}`;
    const appKey = `graph-app|${appId}`;
    let appBucket = this.buckets.get(appKey);
    if (!appBucket) this.buckets.set(appKey, (appBucket = new TokenBucket(this.options.graph.perAppPer20Seconds, 20, now)));
    let bucket = this.buckets.get(key);
    if (!bucket)
      this.buckets.set(key, (bucket = new TokenBucket(this.options.graph.perTenantPer10Seconds ?? graphTenantLimit(tenantUsers), 10, now)));
    const scope = `Tenant_Application/ReadWrite/${appId}/${tenantId}`;
    for (const [which, b] of [
      ['graph per app+tenant', bucket],
      ['graph per app', appBucket],
    ] as const) {
      const wait = b.take(cost, now);
      if (wait > 0) {
        // Some tiers answer 429 without Retry-After (§3.6): clients need their own backoff.
        const withRetryAfter = this.random() >= this.options.graph.withoutRetryAfter;
        this.counters.throttled[which] = (this.counters.throttled[which] ?? 0) + 1;
        return {
          ok: false,
          retryAfterSeconds: withRetryAfter ? Math.max(0.001, Number(wait.toFixed(3))) : undefined,
          scope,
          information: 'ResourceUnitLimitExceeded',
        };
      }
    }
    const admitted = this.admit(key);
    if (!admitted.ok) return { ...admitted, scope };
    this.counters.resourceUnitsByKey[key] = (this.counters.resourceUnitsByKey[key] ?? 0) + cost;
    return { ...admitted, resourceUnits: cost, limitPercentage: bucket.usedShare() };
  }

  private count(key: string): void {
    this.counters.callsByKey[key] = (this.counters.callsByKey[key] ?? 0) + 1;
  }

  private refused(cause: string, retryAfterSeconds: number | undefined): ThrottleOutcome {
    this.counters.throttled[cause] = (this.counters.throttled[cause] ?? 0) + 1;
    return { ok: false, retryAfterSeconds };
  }

  // Requests in flight per key: one too many is refused without Retry-After.
  private admit(key: string): ThrottleOutcome {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= this.options.maxConcurrentPerKey) return this.refused('too many requests in flight', undefined);
    this.inFlight.set(key, current + 1);
    this.count(key);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
      },
    };
  }

  reset(): void {
    this.windows.clear();
    this.buckets.clear();
    this.inFlight.clear();
    this.counters = { throttled: {}, callsByKey: {}, resourceUnitsByKey: {} };
  }
}

// Holds a request for its sampled latency, then lets it through; its concurrency slot is freed when the answer
// has been sent (or the client went away).
export function delayThen(realism: Realism, res: Response, release: (() => void) | undefined, then: () => void): void {
  if (release) {
    res.once('finish', release);
    res.once('close', release);
  }
  const ms = realism.latencyMs();
  if (ms <= 0) return then();
  setTimeout(then, ms);
}

// Latency for routes without a throttling gate (sign-in, tokens, discovery); no-op unless realism is on.
export function realisticLatency(realism: () => Realism | null): RequestHandler {
  return (req, res, next) => {
    const world = realism();
    if (!world || req.path.startsWith('/v1/') || req.path.startsWith('/v1.0/')) return next();
    delayThen(world, res, undefined, next);
  };
}
