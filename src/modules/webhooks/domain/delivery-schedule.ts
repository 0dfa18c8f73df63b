// Waits between attempts: 8 attempts over about an hour, so a receiver down for a deploy or a short outage still
// gets every event, and one that is gone for good stops being called within the hour.
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [10, 30, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60];

// A Retry-After longer than this is not honoured in full: the delivery would otherwise sit for days.
export const MAX_RETRY_AFTER_SECONDS = 60 * 60;

export type NextStep = { state: 'delivered' } | { state: 'retrying'; inSeconds: number } | { state: 'failed' };

// After attempt number `attemptsMade` (1 for the first): delivered, try again in n seconds, or give up. A wait the
// endpoint asked for (Retry-After) is honoured when it is longer than the schedule's. A permanent failure (an
// address Sync 365 refuses to send to) is not retried.
export function nextStep(
  attemptsMade: number,
  outcome: { delivered: boolean; retryAfterSeconds: number | null; permanent?: boolean },
  delays: readonly number[],
): NextStep {
  if (outcome.delivered) return { state: 'delivered' };
  if (outcome.permanent || attemptsMade > delays.length) return { state: 'failed' };
  const scheduled = delays[attemptsMade - 1];
  const asked = outcome.retryAfterSeconds === null ? 0 : Math.min(outcome.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS);
  return { state: 'retrying', inSeconds: Math.max(scheduled, asked) };
}

export const maxAttempts = (delays: readonly number[]) => delays.length + 1;
