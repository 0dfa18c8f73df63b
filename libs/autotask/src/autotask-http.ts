import { STATUS_CODES } from 'node:http';
import {
  backoffDelay,
  defaultSleep,
  notifyAttempt,
  parseJson,
  parseRetryAfter,
  resolveRequestUrl,
  type RetryPolicy,
} from '../../http-kit/src';
import {
  AutotaskApiError,
  createAutotaskError,
  fixFor,
  kindForStatus,
  parseAutotaskErrors,
  type AutotaskErrorKind,
} from './autotask-api.error';
import type { AutotaskCredentials } from './autotask.types';
import type { AutotaskThresholdLimiter } from './threshold-limiter';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

// What may be sent again after a failure: 'safe' (reads and queries: 408, 429, 5xx without an Autotask refusal,
// connection failures, timeouts) or 'unsafe' (writes: only 429 and refused connections, where Autotask did nothing;
// a create has no idempotency key, so a lost answer is the caller's to check by reading back).
export type Replay = 'safe' | 'unsafe';

export type AutotaskRetryPolicy = RetryPolicy;

export const DEFAULT_AUTOTASK_RETRY: AutotaskRetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  throttleBackoffBaseMs: 10_000,
  maxWaitMs: 120_000,
};

export interface AutotaskAttemptEvent {
  method: HttpMethod;
  path: string;
  attempt: number;
  status: number; // 0: no HTTP answer
  outcome: 'success' | 'retry' | 'failure';
  waitMs: number;
  kind?: AutotaskErrorKind;
}

export interface AutotaskHttpOptions {
  baseUrl: string;
  credentials?: AutotaskCredentials; // absent for ZoneInformation, which needs none
  limiter?: AutotaskThresholdLimiter;
  readThreshold?: () => Promise<import('./autotask.types').AutotaskThresholdInformation>;
  timeoutMs?: number; // per attempt, default 30 s
  retry?: Partial<AutotaskRetryPolicy>;
  maxConcurrentPerEndpoint?: number; // Autotask allows 3 threads per endpoint and tracking identifier [ATTHR]
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onAttempt?: (event: AutotaskAttemptEvent) => void;
}

export interface AutotaskRequest {
  method?: HttpMethod;
  path: string; // relative to the base URL (e.g. /V1.0/Companies/query), or an absolute URL on its origin (nextPageUrl)
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  replay?: Replay;
  counted?: boolean; // default true: goes through the threshold limiter
}

// The one way this library talks HTTP to Autotask: the three auth headers, a timeout per attempt, retries by replay
// safety, Retry-After on 429, the shared threshold limiter, at most N requests per endpoint at once, and Autotask's
// {"errors":[…]} bodies turned into typed AutotaskApiErrors.
export class AutotaskHttp {
  readonly base: URL;
  private readonly policy: AutotaskRetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxConcurrent: number;
  private readonly endpoints = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly options: AutotaskHttpOptions) {
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:')
      throw new Error(`Autotask base URL must be http(s): ${options.baseUrl}`);
    this.policy = { ...DEFAULT_AUTOTASK_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.maxConcurrent = options.maxConcurrentPerEndpoint ?? 3;
  }

  async request<T>(request: AutotaskRequest): Promise<T> {
    const method = request.method ?? 'GET';
    const replay = request.replay ?? (method === 'GET' ? 'safe' : 'unsafe');
    const url = this.resolve(request, method);
    const path = url.pathname;
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const endpoint = endpointOf(path);

    for (let attempt = 1; ; attempt++) {
      if (request.counted !== false && this.options.limiter && this.options.readThreshold)
        await this.options.limiter.beforeRequest(this.options.readThreshold);
      let failure: { error: AutotaskApiError; retryable: boolean; waitMs: number };
      const release = await this.enter(endpoint);
      try {
        const response = await fetch(url, {
          method,
          headers: this.headers(body !== undefined),
          body,
          redirect: 'manual', // never carry the secret to another host
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) {
          const parsed = parseJson(text);
          if (parsed !== undefined || !text.trim()) {
            this.emit({ method, path, attempt, status: response.status, outcome: 'success', waitMs: 0 });
            return parsed as T;
          }
          failure = {
            error: createAutotaskError({
              kind: 'malformed_response',
              status: response.status,
              message: `Autotask ${method} ${path} answered HTTP ${response.status} with a body that is not JSON`,
              method,
              path,
              attempts: attempt,
            }),
            retryable: replay === 'safe',
            waitMs: this.backoff(attempt, this.policy.backoffBaseMs),
          };
        } else {
          failure = this.httpFailure(response, text, replay, method, path, attempt);
        }
      } catch (error) {
        if (error instanceof AutotaskApiError) throw error;
        failure = this.networkFailure(error, replay, method, path, attempt);
      } finally {
        release();
      }

      const retry = failure.retryable && attempt < this.policy.maxAttempts;
      this.emit({
        method,
        path,
        attempt,
        status: failure.error.status,
        outcome: retry ? 'retry' : 'failure',
        waitMs: retry ? failure.waitMs : 0,
        kind: failure.error.kind,
      });
      if (!retry) throw failure.error;
      await this.sleep(failure.waitMs);
    }
  }

  private resolve(request: AutotaskRequest, method: HttpMethod): URL {
    const url = resolveRequestUrl(this.base, request.path, '', (foreign) =>
      createAutotaskError({
        kind: 'malformed_response',
        status: 0,
        message: `Autotask ${method}: refused to send the API credentials to ${foreign.origin}, which is not the configured ${this.base.origin}`,
        method,
        path: foreign.pathname,
      }),
    );
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  private headers(hasBody: boolean): Headers {
    const headers = new Headers({ accept: 'application/json' });
    const credentials = this.options.credentials;
    if (credentials) {
      headers.set('ApiIntegrationCode', credentials.integrationCode);
      headers.set('UserName', credentials.userName);
      headers.set('Secret', credentials.secret);
      if (credentials.impersonationResourceId !== undefined)
        headers.set('ImpersonationResourceId', String(credentials.impersonationResourceId));
    }
    if (hasBody) headers.set('content-type', 'application/json');
    return headers;
  }

  private httpFailure(response: Response, text: string, replay: Replay, method: HttpMethod, path: string, attempt: number) {
    const status = response.status;
    const messages = parseAutotaskErrors(text);
    // Autotask answers a refused create or update with 500 and its errors array (KelvinTegelaar/AutotaskAPI#26,
    // #31; apigrate/autotask-restapi#19): on a write that is the data being refused, not Autotask failing.
    const isWrite = method !== 'GET' && !/\/query(\/|$)/i.test(path);
    const kind = status === 500 && messages.length > 0 && isWrite ? 'validation' : kindForStatus(status);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const statusText = response.statusText || STATUS_CODES[status] || '';
    const said = messages.length > 0 ? `: ${messages.join(' ')}` : '';
    const error = createAutotaskError({
      kind,
      status,
      message: `Autotask ${method} ${path} answered HTTP ${status} ${statusText}${said}`.replace(/ +:/, ':'),
      autotaskMessages: messages,
      retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      method,
      path,
      attempts: attempt,
    });
    if (status === 429) this.options.limiter?.recordThrottled();
    const waitMs = retryAfterMs ?? this.backoff(attempt, status === 429 ? this.policy.throttleBackoffBaseMs : this.policy.backoffBaseMs);
    // A 500 carrying Autotask's errors array is a refusal (Autotask answers many validation failures and an unknown
    // user name that way), not a passing fault: asking again gets the same answer.
    const transient =
      status === 429 || status === 408 || ((status === 502 || status === 503 || status === 504 || status === 500) && messages.length === 0);
    const retryable = (status === 429 || (replay === 'safe' && transient)) && waitMs <= this.policy.maxWaitMs;
    return { error, retryable, waitMs };
  }

  private networkFailure(error: unknown, replay: Replay, method: HttpMethod, path: string, attempt: number) {
    const timedOut = (error as Error)?.name === 'TimeoutError';
    const code = (error as { cause?: { code?: string } })?.cause?.code;
    const refused = code === 'ECONNREFUSED' || code === 'EAI_AGAIN' || code === 'ENOTFOUND' || code === 'UND_ERR_CONNECT_TIMEOUT';
    const kind: AutotaskErrorKind = timedOut ? 'timeout' : 'network';
    return {
      error: createAutotaskError({
        kind,
        status: 0,
        message: `Autotask ${method} ${path} ${timedOut ? `timed out after ${this.timeoutMs} ms` : `failed (${code ?? (error as Error)?.message ?? 'unknown error'})`}`,
        method,
        path,
        attempts: attempt,
        fix: fixFor(kind),
      }),
      retryable: refused || replay === 'safe',
      waitMs: this.backoff(attempt, this.policy.backoffBaseMs),
    };
  }

  private backoff(attempt: number, baseMs: number): number {
    return backoffDelay(attempt, baseMs, this.policy.maxWaitMs, this.random);
  }

  // At most maxConcurrentPerEndpoint requests per endpoint at once; the others queue in order.
  private async enter(endpoint: string): Promise<() => void> {
    let slot = this.endpoints.get(endpoint);
    if (!slot) this.endpoints.set(endpoint, (slot = { active: 0, waiting: [] }));
    const entry = slot;
    if (entry.active >= this.maxConcurrent) await new Promise<void>((resolve) => entry.waiting.push(resolve));
    else entry.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = entry.waiting.shift();
      if (next) next();
      else entry.active -= 1;
    };
  }

  private emit(event: AutotaskAttemptEvent): void {
    notifyAttempt(this.options.onAttempt, event);
  }
}

// "/ATServicesRest/V1.0/Contracts/12/Services" → "contracts": the entity the thread limit counts per.
function endpointOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const version = segments.findIndex((segment) => /^v\d+\.\d+$/i.test(segment));
  return (segments[version + 1] ?? '').toLowerCase();
}
