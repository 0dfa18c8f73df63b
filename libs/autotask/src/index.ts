// Wire client for Autotask PSA's REST API v1.0, configured by base URL so the same code reaches Autotask or the
// local emulator (libs/autotask-emulator). Knows nothing of Sync 365's domain.
export {
  AutotaskClient,
  AutotaskPages,
  AUTOTASK_DISCOVERY_URL,
  AUTOTASK_MAX_PAGE_SIZE,
  normalizeThreshold,
  normalizeZone,
  toAutotaskDate,
  type AutotaskClientOptions,
  type ZoneDiscoveryOptions,
} from './autotask.client';
export {
  AutotaskApiError,
  AutotaskAuthenticationError,
  AutotaskNotFoundError,
  AutotaskPermissionError,
  AutotaskThrottledError,
  AutotaskValidationError,
  parseAutotaskErrors,
  type AutotaskApiErrorInit,
  type AutotaskErrorKind,
} from './autotask-api.error';
export { DEFAULT_AUTOTASK_RETRY, type AutotaskAttemptEvent, type AutotaskRetryPolicy, type HttpMethod, type Replay } from './autotask-http';
export {
  AutotaskThresholdLimiter,
  type ThresholdBackoffEvent,
  type ThresholdLimiterOptions,
  type ThresholdReader,
  type ThresholdSnapshot,
} from './threshold-limiter';
export type * from './autotask.types';
