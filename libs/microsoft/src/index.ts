// Wire clients for Microsoft Entra ID (token endpoint), Partner Center and Microsoft Graph, configured by base
// URLs so the same code reaches Microsoft or the local emulator. Knows nothing of Sync 365's domain.
export { MicrosoftApiError, type MicrosoftApiErrorInit, type MicrosoftService } from './http/microsoft-api.error';
export { MicrosoftHttpClient } from './http/microsoft-http.client';
export { Pages } from './http/pages';
export {
  AdaptiveConcurrency,
  type AdaptiveConcurrencyOptions,
  type KeyStats,
  type ReleaseSlot,
  type RequestOutcome,
} from './http/adaptive-concurrency';
export { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, INTERACTIVE_RETRY } from './http/retry-policy';
export type {
  AccessTokenSource,
  AttemptEvent,
  ErrorDetails,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  MicrosoftClientOptions,
  MicrosoftHttpClientOptions,
  Replay,
  RetryPolicy,
} from './http/http.types';
export { parseMicrosoftDateTime } from './wire/date-time';

export { EntraTokenClient, type EntraTokenClientOptions } from './entra/entra-token.client';
export { EntraTokenError, type EntraTokenErrorInit } from './entra/entra-token.error';
export type {
  EntraTokenErrorResponse,
  EntraTokenResponse,
  EntraTokenSet,
  RedeemAuthorizationCodeRequest,
  RedeemRefreshTokenRequest,
} from './entra/entra-token.types';

export { PartnerCenterClient, type PartnerCenterClientOptions, type PartnerCenterPages } from './partner-center/partner-center.client';
export type * from './partner-center/partner-center.types';

export { GraphClient, type GraphClientOptions, type GraphListOptions, type GraphPages } from './graph/graph.client';
export type * from './graph/graph.types';
