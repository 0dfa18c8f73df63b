// How many requests may be in flight at once, learnt per limit key (a partner's Partner Center, an app + tenant in
// Graph) from Microsoft's answers: AIMD, as TCP does, for the 429s that say nothing else. A 429 that names its wait
// (Retry-After) says the limit's window is full, not that too many requests were in flight: the key's new requests
// are held until that wait has passed and the window is kept, so the key is full again as soon as Microsoft allows
// (halved, it left the limit partly unused after every wait while the window grew back). A 429 without
// Retry-After halves the window (at most once per `decreaseCooldownMs`, so one burst of 429s counts once) and rests
// the key that long. Every clean answer grows the window by 1/window, about one more request per window of clean
// answers, up to the ceiling. Microsoft publishes no concurrency figure and adjusts its limits dynamically (FACTS
// §2.12), so the window is learnt rather than configured; the configured ceiling is where it starts.
// Partner Center names its wait on every 429 of its rate limits (FACTS §2.12: "Retry-After: 57"), so one without it
// refused that request alone (assumed: too many in flight at once, which a busy server counts a little late): the
// halved window answers it, and the key is not rested — resting it a second, ~100 calls of its limit each time, was
// most of what such 429s cost (npm run bench:limiter with SIM_FINISH_LAG_MS). Graph's keys still rest: its token
// buckets may refuse without Retry-After (§3.6), and only waiting lets them refill.
export interface AdaptiveConcurrencyOptions {
  max: number; // ceiling, and the start unless `start` says otherwise
  start?: number;
  min?: number; // default 1
  decreaseCooldownMs?: number; // default 1 s
  // Whether a key rests `decreaseCooldownMs` after a 429 without Retry-After; default: every key but Partner Center's.
  restsWithoutRetryAfter?: (key: string) => boolean;
  now?: () => number;
  // Calls `callback` after `ms` (tests pass a fake clock's timer).
  setTimer?: (callback: () => void, ms: number) => void;
}

export type RequestOutcome = 'ok' | 'throttled' | 'failed';

// Frees the slot taken by acquire(): `retryAfterMs` is the wait a 429 named (undefined: none named).
export type ReleaseSlot = (outcome: RequestOutcome, retryAfterMs?: number) => void;

interface KeyState {
  window: number;
  inFlight: number;
  waiters: (() => void)[];
  lastDecreaseAt: number;
  pausedUntil: number;
  timerSet: boolean;
  restsWithoutRetryAfter: boolean;
}

export interface KeyStats {
  window: number;
  inFlight: number;
  waiting: number;
  throttled: number;
}

export class AdaptiveConcurrency {
  private readonly keys = new Map<string, KeyState & { throttled: number }>();
  private readonly max: number;
  private readonly start: number;
  private readonly min: number;
  private readonly cooldownMs: number;
  private readonly restsWithoutRetryAfter: (key: string) => boolean;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => void;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.max = Math.max(1, options.max);
    this.min = Math.max(1, Math.min(options.min ?? 1, this.max));
    this.start = Math.min(this.max, Math.max(this.min, options.start ?? this.max));
    this.cooldownMs = options.decreaseCooldownMs ?? 1_000;
    this.restsWithoutRetryAfter = options.restsWithoutRetryAfter ?? ((key) => !key.startsWith('partner-center'));
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => void setTimeout(callback, ms).unref());
  }

  // Resolves once a request for `key` may be sent; the caller must call the returned function once it has its answer.
  async acquire(key: string): Promise<ReleaseSlot> {
    const state = this.state(key);
    if (this.mayStart(state)) state.inFlight++;
    else {
      // dispatch() counts the slot as taken when it wakes a waiter.
      await new Promise<void>((resolve) => {
        state.waiters.push(resolve);
        this.schedule(state);
      });
    }
    let released = false;
    return (outcome, retryAfterMs) => {
      if (released) return;
      released = true;
      state.inFlight--;
      this.learn(state, outcome, retryAfterMs);
      this.dispatch(state);
    };
  }

  stats(key: string): KeyStats | undefined {
    const state = this.keys.get(key);
    return state && { window: state.window, inFlight: state.inFlight, waiting: state.waiters.length, throttled: state.throttled };
  }

  private state(key: string): KeyState & { throttled: number } {
    let state = this.keys.get(key);
    if (!state) {
      state = {
        window: this.start,
        inFlight: 0,
        waiters: [],
        lastDecreaseAt: -Infinity,
        pausedUntil: 0,
        timerSet: false,
        restsWithoutRetryAfter: this.restsWithoutRetryAfter(key),
        throttled: 0,
      };
      this.keys.set(key, state);
    }
    return state;
  }

  private mayStart(state: KeyState): boolean {
    return state.waiters.length === 0 && state.inFlight < Math.floor(state.window) && this.now() >= state.pausedUntil;
  }

  private learn(state: KeyState & { throttled: number }, outcome: RequestOutcome, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (outcome === 'throttled') {
      state.throttled++;
      // Microsoft named its wait (FACTS §2.12 "wait Retry-After", §3.6): the key waits it out, its window unchanged.
      // A wait of 0 names nothing to wait for: backed off as a 429 without one.
      if (retryAfterMs !== undefined && retryAfterMs > 0) {
        state.pausedUntil = Math.max(state.pausedUntil, now + retryAfterMs);
        return;
      }
      if (now - state.lastDecreaseAt >= this.cooldownMs) {
        state.window = Math.max(this.min, state.window / 2);
        state.lastDecreaseAt = now;
      }
      // No wait named: the key rests a moment anyway, or every waiting request would meet the same limit.
      if (state.restsWithoutRetryAfter) state.pausedUntil = Math.max(state.pausedUntil, now + this.cooldownMs);
    } else if (outcome === 'ok') {
      state.window = Math.min(this.max, state.window + 1 / state.window);
    }
  }

  private dispatch(state: KeyState): void {
    if (this.now() < state.pausedUntil) return this.schedule(state);
    while (state.waiters.length > 0 && state.inFlight < Math.floor(state.window)) {
      state.inFlight++;
      state.waiters.shift()!();
    }
  }

  private schedule(state: KeyState): void {
    if (state.timerSet) return;
    const wait = state.pausedUntil - this.now();
    if (wait <= 0) {
      // Not paused: a free slot is handed out now, a full window by the next release.
      if (state.inFlight < Math.floor(state.window)) queueMicrotask(() => this.dispatch(state));
      return;
    }
    state.timerSet = true;
    this.setTimer(() => {
      state.timerSet = false;
      this.dispatch(state);
    }, wait);
  }
}
