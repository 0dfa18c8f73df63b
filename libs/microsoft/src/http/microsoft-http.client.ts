import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  backoffDelay,
  classifyNetworkError,
  DEFAULT_TIMEOUT_MS,
  defaultSleep,
  isRetryableNetworkFailure,
  isRetryableStatus,
  notifyAttempt,
  parseJson,
  parseRetryAfter,
  resolveRequestUrl,
  waitAfterStatus,
  type NetworkFailure,
} from '../../../http-kit/src';
import { createMicrosoftApiError } from './error-body';
import type {
  AttemptEvent,
  ErrorDetails,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  MicrosoftHttpClientOptions,
  Replay,
  RetryPolicy,
} from './http.types';
import { MicrosoftApiError, SERVICE_NAMES, type MicrosoftService } from './microsoft-api.error';
import { DEFAULT_RETRY_POLICY } from './retry-policy';

interface AttemptFailure {
  error: MicrosoftApiError;
  retryable: boolean;
  waitMs: number;
}

// The one way this library talks HTTP: base URL + path, bearer token, correlation ids, a timeout per attempt,
// retries by the request's replay safety with Retry-After or jittered backoff, Microsoft errors as
// MicrosoftApiError. Uses Node's global fetch.
export class MicrosoftHttpClient {
  readonly service: MicrosoftService;
  private readonly base: URL;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: MicrosoftHttpClientOptions) {
    this.service = options.service;
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new Error(`${SERVICE_NAMES[options.service]} base URL must be http(s): ${options.baseUrl}`);
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  async request<T>(request: HttpRequest): Promise<HttpResponse<T>> {
    const method = request.method ?? 'GET';
    const replay: Replay = request.replay ?? (method === 'GET' ? 'safe' : 'unsafe');
    const correlationId = request.correlationId ?? randomUUID();
    // One id for every attempt of this request: Partner Center de-duplicates a retried call by MS-RequestId.
    const requestId = randomUUID();
    const url = this.resolveUrl(request, method, requestId, correlationId);
    const path = url.pathname;
    const body = requestBody(request);

    for (let attempt = 1; ; attempt++) {
      const event = { service: this.service, operation: request.operation, method, path, attempt, requestId, correlationId };
      if (request.signal?.aborted) throw this.callError('aborted', 'was cancelled by the caller', event);
      const headers = await this.headersFor(request, requestId, correlationId);
      // A slot of this limit key (the adaptive window), taken for the attempt only: a retry's wait holds none.
      const release = this.options.concurrency ? await this.options.concurrency.acquire(limitKey(this.service, headers)) : undefined;
      let outcome: { status: number; retryAfterMs?: number } = { status: 0 };
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const started = Date.now();
      let failure: AttemptFailure;
      try {
        const response = await fetch(url, {
          method,
          headers,
          body,
          // Microsoft APIs answer, they do not redirect; never carry the token elsewhere.
          redirect: 'manual',
          signal: request.signal ? AbortSignal.any([timeout, request.signal]) : timeout,
        });
        const text = await response.text();
        outcome = {
          status: response.status,
          retryAfterMs: response.status === 429 ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
        };
        const parsed = response.status >= 200 && response.status < 300 ? parseJson(text) : undefined;
        if (response.status >= 200 && response.status < 300 && (parsed !== undefined || !text.trim())) {
          this.emit({ ...event, status: response.status, durationMs: Date.now() - started, outcome: 'success', waitMs: 0 });
          return { status: response.status, headers: response.headers, body: parsed as T, requestId, correlationId, attempts: attempt };
        }
        failure =
          response.status >= 200 && response.status < 300
            ? this.malformedFailure(response.status, replay, event)
            : this.httpFailure(response, text, replay, event);
      } catch (error) {
        if (error instanceof MicrosoftApiError) throw error;
        if (request.signal?.aborted) throw this.callError('aborted', 'was cancelled by the caller', event);
        failure = this.networkFailure(error, timeout.aborted, replay, event);
      } finally {
        release?.(
          outcome.status === 429 ? 'throttled' : outcome.status >= 200 && outcome.status < 500 ? 'ok' : 'failed',
          outcome.retryAfterMs,
        );
      }

      const retry = failure.retryable && attempt < this.policy.maxAttempts;
      this.emit({
        ...event,
        status: failure.error.status,
        durationMs: Date.now() - started,
        outcome: retry ? 'retry' : 'failure',
        waitMs: retry ? failure.waitMs : 0,
        errorCode: failure.error.code,
      });
      if (!retry) {
        if (attempt > 1) failure.error.message += ` (after ${attempt} attempts)`;
        throw failure.error;
      }
      await this.sleep(failure.waitMs);
    }
  }

  // Next links are followed with our bearer token: never towards another host.
  private resolveUrl(request: HttpRequest, method: HttpMethod, requestId: string, correlationId: string): URL {
    return resolveRequestUrl(
      this.base,
      request.path,
      buildQuery(request.query),
      (url) =>
        new MicrosoftApiError({
          service: this.service,
          status: 0,
          code: 'untrusted_url',
          message: `${SERVICE_NAMES[this.service]} ${method}: refused to send the token to ${url.origin}, which is not the configured ${this.base.origin}`,
          requestId,
          correlationId,
          method,
          path: url.pathname,
        }),
    );
  }

  private async headersFor(request: HttpRequest, requestId: string, correlationId: string): Promise<Headers> {
    const headers = new Headers({ accept: 'application/json' });
    for (const [name, value] of Object.entries({ ...this.options.defaultHeaders, ...request.headers })) headers.set(name, value);
    if (this.service === 'partner-center') {
      headers.set('MS-RequestId', requestId);
      headers.set('MS-CorrelationId', correlationId);
    } else {
      headers.set('client-request-id', requestId);
    }
    if (request.json !== undefined) headers.set('content-type', 'application/json');
    if (request.form) headers.set('content-type', 'application/x-www-form-urlencoded');
    const source = request.accessToken;
    const token = typeof source === 'function' ? await source() : source;
    if (token) headers.set('authorization', `Bearer ${token}`);
    return headers;
  }

  private httpFailure(response: Response, text: string, replay: Replay, event: AttemptContext): AttemptFailure {
    const details: ErrorDetails = {
      service: this.service,
      method: event.method,
      path: event.path,
      attempt: event.attempt,
      requestId: event.requestId,
      correlationId: event.correlationId,
      status: response.status,
      statusText: response.statusText || STATUS_CODES[response.status] || '',
      headers: response.headers,
      text,
    };
    const error = (this.options.createError ?? createMicrosoftApiError)(details);
    const waitMs = waitAfterStatus(
      this.policy,
      event.attempt,
      response.status,
      parseRetryAfter(response.headers.get('retry-after')),
      this.random,
    );
    // A Retry-After beyond the cap is not waited for here: the error carries it for a job to reschedule.
    const retryable = isRetryableStatus(response.status, replay) && waitMs <= this.policy.maxWaitMs;
    return { error, retryable, waitMs };
  }

  // A 2xx whose body is cut off or not JSON: a transient fault of the way back (a dropped proxy connection, a
  // truncated answer), so a read is asked again; a write is not (it was done, only its answer was lost).
  private malformedFailure(status: number, replay: Replay, event: AttemptContext): AttemptFailure {
    return {
      error: this.callError('malformed_response', `answered HTTP ${status} with a body that is not JSON`, event, status),
      retryable: replay === 'safe',
      waitMs: backoffDelay(event.attempt, this.policy.backoffBaseMs, this.policy.maxWaitMs, this.random),
    };
  }

  private networkFailure(error: unknown, timedOut: boolean, replay: Replay, event: AttemptContext): AttemptFailure {
    const { failure, code } = timedOut ? { failure: 'timeout' as NetworkFailure, code: undefined } : classifyNetworkError(error);
    const reasons: Record<NetworkFailure, string> = {
      timeout: `timed out after ${this.timeoutMs} ms`,
      refused: 'could not connect',
      reset: 'lost the connection',
      tls: 'failed TLS verification (is the certificate authority trusted, e.g. through NODE_EXTRA_CA_CERTS?)',
      other: `failed (${(error as Error)?.message ?? 'unknown error'})`,
    };
    const reason = `${reasons[failure]}${code ? ` [${code}]` : ''}`;
    return {
      error: this.callError(timedOut ? 'timeout' : 'network_error', reason, event, 0, code),
      retryable: isRetryableNetworkFailure(failure, replay),
      waitMs: backoffDelay(event.attempt, this.policy.backoffBaseMs, this.policy.maxWaitMs, this.random),
    };
  }

  // A failure without a Microsoft error body: network, timeout, cancellation, or a 2xx that is not JSON.
  private callError(code: string, reason: string, event: AttemptContext, status = 0, networkCode?: string): MicrosoftApiError {
    return new MicrosoftApiError({
      service: this.service,
      status,
      code,
      message: `${SERVICE_NAMES[this.service]} ${event.method} ${event.path} ${reason}`,
      requestId: event.requestId,
      correlationId: event.correlationId,
      attempts: event.attempt,
      method: event.method,
      path: event.path,
      networkCode,
    });
  }

  private emit(event: AttemptEvent): void {
    notifyAttempt(this.options.onAttempt, event);
  }
}

// The limit Microsoft counts a request against: Partner Center per partner tenant, Graph per app + tenant (FACTS
// §2.12, §3.6), read from the token's own claims (`tid`, `appid`/`azp`) without verifying it: it only groups
// requests. A token that is not a readable JWT shares one key per service.
const limitKeys = new Map<string, string>();

export function limitKey(service: MicrosoftService, headers: Headers): string {
  const token = headers.get('authorization')?.replace(/^Bearer /i, '') ?? '';
  let key = limitKeys.get(token);
  if (key === undefined) {
    key = service;
    try {
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        tid?: unknown;
        appid?: unknown;
        azp?: unknown;
      };
      if (typeof claims.tid === 'string')
        key = `${service}|${claims.tid.toLowerCase()}${service === 'graph' ? `|${String(claims.appid ?? claims.azp ?? '')}` : ''}`;
    } catch {
      // Not a JWT: the service's one key.
    }
    if (limitKeys.size >= 1_000) limitKeys.clear();
    limitKeys.set(token, key);
  }
  return key;
}

type AttemptContext = Pick<AttemptEvent, 'method' | 'path' | 'attempt' | 'requestId' | 'correlationId'>;

function requestBody(request: HttpRequest): string | undefined {
  if (request.json !== undefined) return JSON.stringify(request.json);
  if (request.form) {
    const fields = Object.entries(request.form).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return new URLSearchParams(fields).toString();
  }
  return undefined;
}

// OData system options keep their literal `$` (`$filter`, `$top`), as in Microsoft's examples.
export function buildQuery(query: HttpRequest['query']): string {
  if (!query) return '';
  return Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(String(value))}`)
    .join('&');
}
