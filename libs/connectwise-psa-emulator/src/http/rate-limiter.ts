export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

// Sliding window on the emulator clock: a key may make `limit` requests in any `windowSeconds`. Refused requests
// do not count, so Retry-After is exactly when the oldest counted request leaves the window.
export class RateLimiter {
  private windows = new Map<string, number[]>();

  take(key: string, limit: { limit: number; windowSeconds: number }, now: number): ThrottleDecision {
    const windowMs = limit.windowSeconds * 1000;
    const times = this.windows.get(key) ?? [];
    this.windows.set(key, times);
    while (times.length > 0 && times[0] <= now - windowMs) times.shift();
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
