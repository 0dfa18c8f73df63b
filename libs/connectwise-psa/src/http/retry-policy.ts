import { DEFAULT_TIMEOUT_MS, type RetryPolicy } from '../../../http-kit/src';

export { parseRetryAfter } from '../../../http-kit/src';

// maxAttempts includes the first; backoffBaseMs: 5xx (reads only) and network failures; throttleBackoffBaseMs: 429
// without Retry-After; maxWaitMs: a longer Retry-After is not waited for, the error carries it.
export type ConnectWiseRetryPolicy = RetryPolicy;

// Bounded: at most 4 attempts, no wait above 60 s. ConnectWise publishes no numeric limit; Cloudflare in front of
// the cloud answers 429 (PYCW#41), with Retry-After in seconds (CWDOC).
export const DEFAULT_CONNECTWISE_RETRY: ConnectWiseRetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  throttleBackoffBaseMs: 5_000,
  maxWaitMs: 60_000,
};

export const DEFAULT_CONNECTWISE_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;
