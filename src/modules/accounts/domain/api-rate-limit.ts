// Requests of one API key are counted per clock minute (a fixed window): one counter row per key and minute,
// shared by every app instance through the database.
const WINDOW_MS = 60_000;

export interface RateLimitWindow {
  start: Date;
  // Whole seconds until the window ends, at least 1: what Retry-After tells a client that went over.
  secondsLeft: number;
}

export function rateLimitWindow(now: Date): RateLimitWindow {
  const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
  return { start: new Date(start), secondsLeft: Math.max(1, Math.ceil((start + WINDOW_MS - now.getTime()) / 1000)) };
}
