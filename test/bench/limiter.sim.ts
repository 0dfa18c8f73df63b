// npm run bench:limiter — the adaptive limiter alone against the realistic Partner Center's per-partner
// limit (libs/microsoft-emulator realism: 1,000 requests per 10 s, 32 in flight, latency p50 150 ms / p99 1 s), on a
// simulated clock: no app, no database, no other process, so the figure is the limiter's own and does not move with
// the machine's load. Prints how long 10,000 calls take, against the lower bound (calls ÷ limit − one window), with
// the 429s, for the limiter as it is and with the older rule that halved the window on every 429 (Retry-After too).
import { AdaptiveConcurrency, type ReleaseSlot } from '../../libs/microsoft/src';
import { Realism } from '../../libs/microsoft-emulator/src/http/realism';

const CALLS = Number(process.env.SIM_CALLS ?? 10_000);
const CALLERS = Number(process.env.SIM_CALLERS ?? 192); // requests waiting for the key at any time (96 tenants × 2)

interface Timer {
  at: number;
  callback: () => void;
}

async function simulate(halveOnRetryAfter: boolean): Promise<{ seconds: number; throttled: number; attempts: number }> {
  let now = 0;
  const timers: Timer[] = [];
  const setTimer = (callback: () => void, ms: number) => void timers.push({ at: now + Math.max(0, ms), callback });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimer(resolve, ms));
  // The older rule had no fast recovery either.
  const limiter = new AdaptiveConcurrency({ max: 32, now: () => now, setTimer, recoveryAfterMs: halveOnRetryAfter ? Infinity : undefined });
  const world = new Realism({ seed: 42 });
  let done = 0;
  let throttled = 0;
  let attempts = 0;
  const call = async () => {
    for (;;) {
      const release: ReleaseSlot = await limiter.acquire('partner-center|partner');
      attempts++;
      const outcome = world.partnerCenter('partner', undefined, now);
      await sleep(world.latencyMs());
      if (outcome.ok) {
        outcome.release();
        release('ok');
        return;
      }
      throttled++;
      const retryAfterMs = outcome.retryAfterSeconds === undefined ? undefined : outcome.retryAfterSeconds * 1000;
      // The older rule: every 429 halved the window, then the key waited Retry-After.
      if (halveOnRetryAfter && retryAfterMs !== undefined) {
        release('throttled');
        const state = (limiter as unknown as { keys: Map<string, { pausedUntil: number }> }).keys.get('partner-center|partner')!;
        state.pausedUntil = Math.max(state.pausedUntil, now + retryAfterMs);
      } else release('throttled', retryAfterMs);
      await sleep(retryAfterMs ?? 2_500);
    }
  };
  let next = 0;
  const workers = Array.from({ length: CALLERS }, async () => {
    while (next < CALLS) {
      next++;
      await call();
      done++;
    }
  });
  const all = Promise.all(workers);
  let finished = false;
  void all.then(() => (finished = true));
  while (!finished) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (finished) break;
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    if (!timer) throw new Error(`stalled at ${done} calls`);
    now = Math.max(now, timer.at);
    timer.callback();
  }
  return { seconds: now / 1000, throttled, attempts };
}

async function main(): Promise<void> {
  const bound = (CALLS / 1_000 - 1) * 10;
  console.log(`${CALLS} Partner Center calls, ${CALLERS} callers; lower bound ${bound.toFixed(1)} s\n`);
  console.log('| limiter | time | ratio | 429s |\n|---|---|---|---|');
  for (const [name, halve] of [
    ['429 with Retry-After: wait it out, window kept (now)', false],
    ['every 429 halves the window (before)', true],
  ] as const) {
    const result = await simulate(halve);
    console.log(
      `| ${name} | ${result.seconds.toFixed(1)} s | ${(result.seconds / bound).toFixed(2)}× | ${result.throttled} (${((100 * result.throttled) / result.attempts).toFixed(2)} %) |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
