// Wire client for ConnectWise PSA (Manage) REST 3.0, configured by the site URL so the same code reaches ConnectWise
// or the local emulator (libs/connectwise-psa-emulator). Knows nothing of Sync 365's domain.
export {
  ConnectWisePsaClient,
  apiUrlForSite,
  toConnectWiseDate,
  type ConnectWiseConnectOptions,
  type ConnectWiseListOptions,
  type ConnectWisePsaClientOptions,
} from './connectwise-psa.client';
export {
  ConnectWiseApiError,
  ConnectWiseAuthenticationError,
  ConnectWiseForbiddenError,
  ConnectWiseNotFoundError,
  ConnectWiseRateLimitError,
  ConnectWiseValidationError,
  type ConnectWiseApiErrorInit,
  type ConnectWiseErrorKind,
  type ConnectWiseFieldError,
} from './http/connectwise-api.error';
export { Condition, cw, formatConditionValue, type ConditionOperator, type ConditionValue } from './http/conditions';
export {
  basicAuthorization,
  buildQuery,
  ConnectWiseHttpClient,
  type ConnectWiseAttemptEvent,
  type ConnectWiseClientOptions,
  type ConnectWiseCredentials,
  type ConnectWiseMethod,
  type ConnectWiseRequest,
  type ConnectWiseResponse,
} from './http/connectwise-http.client';
export { FIXES as CONNECTWISE_FIXES, parseConnectWiseErrorBody } from './http/error-body';
export { parseLinkHeader, type LinkRelations } from './http/link-header';
export { ConnectWisePages } from './http/pages';
export {
  DEFAULT_CONNECTWISE_RETRY,
  DEFAULT_CONNECTWISE_TIMEOUT_MS,
  parseRetryAfter,
  type ConnectWiseRetryPolicy,
} from './http/retry-policy';
export type * from './wire/connectwise.types';
