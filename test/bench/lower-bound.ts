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
  // Not part of `seconds` (issue 19's bound, unchanged): Partner Center's limit is a sliding window, where call i + limit
  // can start no sooner than one window after call i, so no schedule of N calls ends before floor((N − 1) ÷ limit)
  // windows. The rate term above (calls ÷ limit − 1 window) is a token bucket's, up to one window lower.
  slidingWindowFloor: number;
}

// The lower bound of this world: the larger of every limit's calls ÷ limit (sliding windows and token buckets allow
// one full window at once), and every key's calls × mean latency ÷ the concurrency Microsoft tolerates per key.
export function lowerBound(counters: RealismCounters): LowerBound {
  let rate = 0;
  let rateKey = '-';
  let latency = 0;
  let latencyKey = '-';
  let slidingWindowFloor = 0;
  const mean = meanLatencyMs(LATENCY.p50Ms, LATENCY.p99Ms) / 1000;
  for (const [key, calls] of Object.entries(counters.callsByKey)) {
    if (key.startsWith('pc|')) {
      const t = Math.max(0, (calls / PC_PARTNER.limit - 1) * PC_PARTNER.windowSeconds);
      if (t > rate)
        [rate, rateKey] = [t, `Partner Center per partner, ${calls} calls at ${PC_PARTNER.limit}/${PC_PARTNER.windowSeconds} s`];
      slidingWindowFloor = Math.max(slidingWindowFloor, Math.floor(Math.max(0, calls - 1) / PC_PARTNER.limit) * PC_PARTNER.windowSeconds);
    }
    const l = (calls * mean) / MAX_CONCURRENT;
    if (l > latency) [latency, latencyKey] = [l, `${key.split('|')[0]} key with ${calls} calls`];
  }
  for (const [key, units] of Object.entries(counters.resourceUnitsByKey)) {
    // The partner's own directory is the busy one (GDAP reads for every customer); its size comes from its users.
    const capacity = 3_500;
    const t = Math.max(0, ((units - capacity) / capacity) * 10);
    if (t > rate) [rate, rateKey] = [t, `Graph ${key}, ${units} RU at ${capacity}/10 s`];
  }
  return { seconds: Math.max(rate, latency), rate, rateKey, latency, latencyKey, slidingWindowFloor };
}
