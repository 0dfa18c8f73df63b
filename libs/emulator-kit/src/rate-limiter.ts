export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

// Sliding window on the emulator clock: a key may make `limit` requests in any `windowSeconds`.
// Refused requests do not count, so Retry-After is exactly when the oldest counted request leaves the window.
export class RateLimiter {
  private windows = new Map<string, number[]>();

  take(key: string, limit: { limit: number; windowSeconds: number }, now: number): ThrottleDecision {
    const windowMs = limit.windowSeconds * 1000;
    let times = this.windows.get(key);
    if (!times) {
      times = [];
      this.windows.set(key, times);
    }
    // One splice, not a shift per request: benchmark windows hold thousands of requests.
    let expired = 0;
    while (expired < times.length && times[expired] <= now - windowMs) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= limit.limit) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[times.length - limit.limit] + windowMs - now) / 1000)) };
    }
    times.push(now);
    return { ok: true };
  }

  clear(): void {
    this.windows.clear();
  }
}
