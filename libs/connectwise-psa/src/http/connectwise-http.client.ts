import { STATUS_CODES } from 'node:http';
import { ConnectWiseApiError } from './connectwise-api.error';
import {
  backoffDelay,
  classifyNetworkError,
  defaultSleep,
  isRetryableNetworkFailure,
  notifyAttempt,
  isRetryableStatus,
  parseJson,
  parseRetryAfter,
  resolveRequestUrl,
  waitAfterStatus,
} from '../../../http-kit/src';
import { createConnectWiseError, FIXES, type ErrorContext } from './error-body';
import { DEFAULT_CONNECTWISE_RETRY, DEFAULT_CONNECTWISE_TIMEOUT_MS, type ConnectWiseRetryPolicy } from './retry-policy';

export type ConnectWiseMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// The four things a ConnectWise API member integration signs in with (FACTS §1, PYCW):
// Authorization: Basic b64("{companyId}+{publicKey}:{privateKey}") and a clientId header (developer.connectwise.com).
export interface ConnectWiseCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export interface ConnectWiseAttemptEvent {
  method: ConnectWiseMethod;
  path: string; // no query string
  attempt: number;
  status: number; // 0: no HTTP response
  durationMs: number;
  outcome: 'success' | 'retry' | 'failure';
  waitMs: number;
  errorCode?: string;
  operation?: string;
}

export interface ConnectWiseClientOptions {
  timeoutMs?: number; // per attempt, default 30 s
  retry?: Partial<ConnectWiseRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onAttempt?: (event: ConnectWiseAttemptEvent) => void;
  // Accept: application/vnd.connectwise.com+json; version=… pins the API version (CTC); omitted = the server's.
  apiVersion?: string;
}

export interface ConnectWiseRequest {
  method?: ConnectWiseMethod;
  path: string; // relative to the API base (/company/companies), or an absolute URL on the same origin (Link next)
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  // Whether a failure may be sent again: reads everything transient; writes only 429 and refused connections
  // (ConnectWise has no idempotency key: a write whose answer was lost may have happened).
  replay?: 'safe' | 'unsafe';
  notFoundMeans?: ErrorContext['notFoundMeans'];
  operation?: string;
  signal?: AbortSignal;
  authenticated?: boolean; // default true; companyinfo is asked without credentials
}

export interface ConnectWiseResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  attempts: number;
}

export function basicAuthorization(credentials: Pick<ConnectWiseCredentials, 'companyId' | 'publicKey' | 'privateKey'>): string {
  return `Basic ${Buffer.from(`${credentials.companyId}+${credentials.publicKey}:${credentials.privateKey}`, 'utf8').toString('base64')}`;
}

// Query strings are built here, once: `conditions` values carry quotes, brackets, `&`, `+` and spaces, so every
// name and value is percent-encoded (a `+` left raw would be read as a space).
export function buildQuery(query: ConnectWiseRequest['query']): string {
  if (!query) return '';
  return Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

// The one way this library talks HTTP: base URL + path, Basic auth and clientId, a timeout per attempt, bounded
// retries (429 honours Retry-After), ConnectWise errors as typed ConnectWiseApiErrors. Node's global fetch.
export class ConnectWiseHttpClient {
  readonly base: URL;
  private readonly policy: ConnectWiseRetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    baseUrl: string,
    private readonly credentials: ConnectWiseCredentials | undefined,
    private readonly options: ConnectWiseClientOptions = {},
  ) {
    this.base = new URL(baseUrl.replace(/\/+$/, ''));
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new Error(`ConnectWise URL must be http(s): ${baseUrl}`);
    this.policy = { ...DEFAULT_CONNECTWISE_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CONNECTWISE_TIMEOUT_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  async request<T>(request: ConnectWiseRequest): Promise<ConnectWiseResponse<T>> {
    const method = request.method ?? 'GET';
    const replay = request.replay ?? (method === 'GET' ? 'safe' : 'unsafe');
    const url = this.resolveUrl(request, method);
    const context = { method, path: url.pathname, notFoundMeans: request.notFoundMeans ?? 'record' } as const;
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);

    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) throw this.callError('aborted', 'was cancelled by the caller', { ...context, attempt }, 'network');
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const started = Date.now();
      let error: ConnectWiseApiError;
      let retryable: boolean;
      let waitMs: number;
      try {
        const response = await fetch(url, {
          method,
          headers: this.headersFor(request),
          body,
          redirect: 'manual', // never carry the keys elsewhere
          signal: request.signal ? AbortSignal.any([timeout, request.signal]) : timeout,
        });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) {
          const parsed = parseJson(text);
          if (parsed !== undefined || !text.trim()) {
            this.emit({
              ...context,
              attempt,
              status: response.status,
              durationMs: Date.now() - started,
              outcome: 'success',
              waitMs: 0,
              operation: request.operation,
            });
            return { status: response.status, headers: response.headers, body: parsed as T, attempts: attempt };
          }
          error = this.callError(
            'malformed_response',
            `answered HTTP ${response.status} with a body that is not JSON`,
            { ...context, attempt },
            'protocol',
            response.status,
          );
          retryable = replay === 'safe';
          waitMs = backoffDelay(attempt, this.policy.backoffBaseMs, this.policy.maxWaitMs, this.random);
        } else {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
          error = createConnectWiseError(
            response.status,
            response.statusText || STATUS_CODES[response.status] || '',
            text,
            retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
            {
              ...context,
              attempt,
            },
          );
          waitMs = waitAfterStatus(this.policy, attempt, response.status, retryAfterMs, this.random);
          // A 429 is refused before any work is done; a 5xx may have done the write, so only reads are repeated.
          retryable = isRetryableStatus(response.status, replay) && waitMs <= this.policy.maxWaitMs;
        }
      } catch (caught) {
        if (caught instanceof ConnectWiseApiError) throw caught;
        if (request.signal?.aborted) throw this.callError('aborted', 'was cancelled by the caller', { ...context, attempt }, 'network');
        const { failure, code } = timeout.aborted ? { failure: 'timeout' as const, code: undefined } : classifyNetworkError(caught);
        const reason =
          failure === 'timeout'
            ? `timed out after ${this.timeoutMs} ms`
            : failure === 'refused'
              ? 'could not connect'
              : failure === 'reset'
                ? 'lost the connection'
                : `failed (${(caught as Error)?.message ?? 'unknown error'})`;
        error = this.callError(
          failure === 'timeout' ? 'timeout' : 'network_error',
          `${reason}${code ? ` [${code}]` : ''}`,
          { ...context, attempt },
          'network',
          0,
          code,
        );
        // A refused connection never reached ConnectWise; anything else may have, so only reads go again.
        retryable = isRetryableNetworkFailure(failure, replay);
        waitMs = backoffDelay(attempt, this.policy.backoffBaseMs, this.policy.maxWaitMs, this.random);
      }

      const retry = retryable && attempt < this.policy.maxAttempts;
      this.emit({
        ...context,
        attempt,
        status: error.status,
        durationMs: Date.now() - started,
        outcome: retry ? 'retry' : 'failure',
        waitMs: retry ? waitMs : 0,
        errorCode: error.code,
        operation: request.operation,
      });
      if (!retry) {
        if (attempt > 1) error.message += ` (after ${attempt} attempts)`;
        throw error;
      }
      await this.sleep(waitMs);
    }
  }

  // Link headers are followed with our keys: never towards another host.
  private resolveUrl(request: ConnectWiseRequest, method: ConnectWiseMethod): URL {
    return resolveRequestUrl(
      this.base,
      request.path,
      buildQuery(request.query),
      (url) =>
        new ConnectWiseApiError({
          kind: 'protocol',
          status: 0,
          code: 'untrusted_url',
          message: `ConnectWise PSA ${method}: refused to send the API keys to ${url.origin}, which is not the configured ${this.base.origin}`,
          fix: FIXES.protocol,
          method,
          path: url.pathname,
        }),
    );
  }

  private headersFor(request: ConnectWiseRequest): Headers {
    const version = this.options.apiVersion;
    const headers = new Headers({ accept: version ? `application/vnd.connectwise.com+json; version=${version}` : 'application/json' });
    if (request.authenticated !== false && this.credentials) {
      headers.set('authorization', basicAuthorization(this.credentials));
      headers.set('clientId', this.credentials.clientId);
    }
    if (request.json !== undefined) headers.set('content-type', 'application/json');
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    return headers;
  }

  private callError(
    code: string,
    reason: string,
    context: { method: string; path: string; attempt: number },
    kind: 'network' | 'protocol',
    status = 0,
    networkCode?: string,
  ): ConnectWiseApiError {
    return new ConnectWiseApiError({
      kind,
      status,
      code,
      message: `ConnectWise PSA ${context.method} ${context.path} ${reason}`,
      fix: kind === 'network' ? FIXES.network : FIXES.protocol,
      attempts: context.attempt,
      method: context.method,
      path: context.path,
      networkCode,
    });
  }

  private emit(event: ConnectWiseAttemptEvent): void {
    notifyAttempt(this.options.onAttempt, event);
  }
}
