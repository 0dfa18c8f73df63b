import type { RetryPolicy } from './http.types';

// Microsoft's defaults; the policy itself (Retry-After, backoff, what may be retried) is libs/http-kit's.
export { DEFAULT_TIMEOUT_MS } from '../../../http-kit/src';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 1_000, // waits of 0.5–1 s, 1–2 s, 2–4 s
  // Graph's identity tier refills its token bucket over 10 s and some tiers send 429 without Retry-After
  // (learn.microsoft.com/graph/throttling): 2.5–5 s, 5–10 s, 10–20 s.
  throttleBackoffBaseMs: 5_000,
  // Partner Center's documented 429 says "Try again in 57 seconds" (api-throttling-guidance.md).
  maxWaitMs: 60_000,
};

// For calls a person is waiting on (sign-in, consent): one retry, no long throttling waits.
export const INTERACTIVE_RETRY: Partial<RetryPolicy> = { maxAttempts: 2, maxWaitMs: 5_000 };
