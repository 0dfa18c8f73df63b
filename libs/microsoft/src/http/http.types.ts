import type { Replay, RetryPolicy } from '../../../http-kit/src';
import type { AdaptiveConcurrency } from './adaptive-concurrency';
import type { MicrosoftApiError, MicrosoftService } from './microsoft-api.error';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

// A bearer token, or a function asked before every attempt, so a long paged read or a retry after a long
// Retry-After picks up a refreshed token.
export type AccessTokenSource = string | (() => string | Promise<string>);

// What may be sent again after a failure (http-kit's Replay): 'deduplicated' is Partner Center's MS-RequestId
// (headers.md: "if there is a timeout, the retried call should include the same value").
export type { Replay, RetryPolicy };

export interface AttemptEvent {
  service: MicrosoftService;
  operation?: string;
  method: HttpMethod;
  path: string; // no query string
  attempt: number;
  status: number; // 0: no HTTP response
  durationMs: number;
  outcome: 'success' | 'retry' | 'failure';
  waitMs: number; // wait before the next attempt (0 unless outcome is 'retry')
  errorCode?: string;
  requestId: string;
  correlationId: string;
}

// Options every client accepts (tests replace only `sleep` and `random`).
export interface MicrosoftClientOptions {
  timeoutMs?: number; // per attempt, default 30 s
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number; // [0, 1)
  onAttempt?: (event: AttemptEvent) => void;
  // Requests in flight per limit key, learnt from Microsoft's answers (shared by the clients of one import).
  concurrency?: AdaptiveConcurrency;
}

export interface ErrorDetails {
  service: MicrosoftService;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  requestId: string;
  correlationId: string;
  method: HttpMethod;
  path: string;
  attempt: number;
}

export interface MicrosoftHttpClientOptions extends MicrosoftClientOptions {
  service: MicrosoftService;
  baseUrl: string;
  defaultHeaders?: Record<string, string>;
  // Turns an HTTP error answer into the error thrown (the token client makes EntraTokenErrors).
  createError?: (details: ErrorDetails) => MicrosoftApiError;
}

export interface HttpRequest {
  method?: HttpMethod;
  path: string; // relative to the base URL (may carry a query string), or an absolute URL on the base URL's origin
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string | undefined>;
  accessToken?: AccessTokenSource;
  replay?: Replay; // default: 'safe' for GET, 'unsafe' otherwise
  correlationId?: string; // one per logical call: a paged read passes the same one for every page
  operation?: string; // label for onAttempt, e.g. 'partner-center.customers'
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T; // undefined when the body is empty (202, 204)
  requestId: string;
  correlationId: string;
  attempts: number;
}
