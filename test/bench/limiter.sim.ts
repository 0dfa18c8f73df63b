// npm run bench:limiter — the adaptive limiter alone against the realistic Partner Center's per-partner
// limit (libs/microsoft-emulator realism: 1,000 requests per 10 s, 32 in flight, latency p50 150 ms / p99 1 s), on a
// simulated clock: no app, no database, no other process, so the figure is the limiter's own and does not move with
// the machine's load. Prints how long 10,000 calls take, against the lower bound (floor((calls − 1) ÷ limit) windows: a sliding window), with
// the 429s, for the limiter as it is and with the older rules: Partner Center's key resting a second after a 429 without
// Retry-After, and before that, halving the window on every 429 (Retry-After too).
// SIM_FINISH_LAG_MS (default 0): the emulator frees a request's slot this long (exponential, mean) after its answer
// reached the client, as a busy emulator does (its response's 'finish' runs late): the client's next request then
// finds Microsoft's 32 in flight full and gets a 429 without Retry-After, as in npm run bench:import on a loaded machine.
import { AdaptiveConcurrency, type ReleaseSlot } from '../../libs/microsoft/src';
import { Realism, seededRandom } from '../../libs/microsoft-emulator/src/http/realism';

const CALLS = Number(process.env.SIM_CALLS ?? 10_000);
const CALLERS = Number(process.env.SIM_CALLERS ?? 192); // requests waiting for the key at any time (96 tenants × 2)
const FINISH_LAG_MS = Number(process.env.SIM_FINISH_LAG_MS ?? 0);

interface Timer {
  at: number;
  callback: () => void;
}

async function simulate(
  halveOnRetryAfter: boolean,
  restsWithoutRetryAfter: boolean,
): Promise<{ seconds: number; throttled: number; attempts: number }> {
  let now = 0;
  const timers: Timer[] = [];
  const setTimer = (callback: () => void, ms: number) => void timers.push({ at: now + Math.max(0, ms), callback });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimer(resolve, ms));
  const limiter = new AdaptiveConcurrency({
    max: 32,
    now: () => now,
    setTimer,
    ...(restsWithoutRetryAfter ? { restsWithoutRetryAfter: () => true } : {}),
  });
  const world = new Realism({ seed: 42 });
  const lagRandom = seededRandom(7);
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
        if (FINISH_LAG_MS > 0) setTimer(outcome.release, -FINISH_LAG_MS * Math.log(1 - lagRandom()));
        else outcome.release();
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
  // Partner Center's sliding window: call i + 1,000 starts no sooner than 10 s after call i (test/bench/lower-bound.ts).
  const bound = Math.floor((CALLS - 1) / 1_000) * 10;
  console.log(
    `${CALLS} Partner Center calls, ${CALLERS} callers, slot freed ${FINISH_LAG_MS} ms after the answer; lower bound ${bound.toFixed(1)} s\n`,
  );
  console.log('| limiter | time | ratio | 429s |\n|---|---|---|---|');
  for (const [name, halve, rests] of [
    ['429 with Retry-After: wait it out, window kept; without: halved, no rest (now)', false, false],
    ['the same, the key resting 1 s after a 429 without Retry-After (before)', false, true],
    ['every 429 halves the window, and rests (before that)', true, true],
  ] as const) {
    const result = await simulate(halve, rests);
    console.log(
      `| ${name} | ${result.seconds.toFixed(1)} s | ${(result.seconds / bound).toFixed(2)}× | ${result.throttled} (${((100 * result.throttled) / result.attempts).toFixed(2)} %) |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
