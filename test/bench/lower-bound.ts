// The lower bound of the benchmarks' realistic Microsoft (libs/microsoft-emulator/src/http/realism.ts) for one import,
// from the emulator's own counters: shared by npm run bench and npm run bench:import (BENCH_REALISTIC=1).
import { meanLatencyMs, REALISTIC_DEFAULTS } from '../../libs/microsoft-emulator/src/http/realism';

const LATENCY = REALISTIC_DEFAULTS.latency;
const PC_PARTNER = REALISTIC_DEFAULTS.partnerCenter.perPartner;
const MAX_CONCURRENT = REALISTIC_DEFAULTS.maxConcurrentPerKey;

export interface RealismCounters {
  throttled: Record<string, number>;
  callsByKey: Record<string, number>;
  resourceUnitsByKey: Record<string, number>;
}

export interface LowerBound {
  seconds: number;
  rate: number;
  rateKey: string;
  latency: number;
  latencyKey: string;
  // The bound as computed until December 7, 2026, printed beside it: Partner Center's term as calls ÷ limit − 1 window
  // (a token bucket's), up to one window below what its sliding window allows.
  earlierSeconds: number;
}

// The lower bound of this world: the larger of every limit's term and every key's calls × mean latency ÷ the
// concurrency Microsoft tolerates per key. Partner Center's limit is a sliding window (the emulator's SlidingWindow: a
// call is refused while `limit` calls started within the last window), so call i + limit can start no sooner than one
// window after call i: no schedule of N calls ends before floor((N − 1) ÷ limit) windows. Graph's are token buckets
// that start full: (units − capacity) ÷ capacity periods.
export function lowerBound(counters: RealismCounters): LowerBound {
  let rate = 0;
  let rateKey = '-';
  let latency = 0;
  let latencyKey = '-';
  let earlierRate = 0;
  const mean = meanLatencyMs(LATENCY.p50Ms, LATENCY.p99Ms) / 1000;
  for (const [key, calls] of Object.entries(counters.callsByKey)) {
    if (key.startsWith('pc|')) {
      const t = Math.floor(Math.max(0, calls - 1) / PC_PARTNER.limit) * PC_PARTNER.windowSeconds;
      if (t > rate)
        [rate, rateKey] = [t, `Partner Center per partner, ${calls} calls at ${PC_PARTNER.limit}/${PC_PARTNER.windowSeconds} s sliding`];
      earlierRate = Math.max(earlierRate, (calls / PC_PARTNER.limit - 1) * PC_PARTNER.windowSeconds);
    }
    const l = (calls * mean) / MAX_CONCURRENT;
    if (l > latency) [latency, latencyKey] = [l, `${key.split('|')[0]} key with ${calls} calls`];
  }
  for (const [key, units] of Object.entries(counters.resourceUnitsByKey)) {
    // The partner's own directory is the busy one (GDAP reads for every customer); its size comes from its users.
    const capacity = 3_500;
    const t = Math.max(0, ((units - capacity) / capacity) * 10);
    if (t > rate) [rate, rateKey] = [t, `Graph ${key}, ${units} RU at ${capacity}/10 s`];
    earlierRate = Math.max(earlierRate, t);
  }
  return { seconds: Math.max(rate, latency), rate, rateKey, latency, latencyKey, earlierSeconds: Math.max(earlierRate, latency) };
}
