// What the wire clients (libs/microsoft, libs/connectwise-psa, libs/autotask) share: the retry policy (Retry-After,
// jittered backoff, replay safety, network failure classes) and request URL building. Knows no vendor.
export { defaultSleep, notifyAttempt, parseJson, resolveRequestUrl } from './request-url';
export {
  backoffDelay,
  classifyNetworkError,
  DEFAULT_TIMEOUT_MS,
  isRetryableNetworkFailure,
  isRetryableStatus,
  parseRetryAfter,
  waitAfterStatus,
  type NetworkFailure,
  type Replay,
  type RetryPolicy,
} from './retry-policy';
