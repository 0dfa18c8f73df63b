import type { Replay, RetryPolicy } from './http.types';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 1_000, // waits of 0.5–1 s, 1–2 s, 2–4 s
  // Graph's identity tier refills its token bucket over 10 s and some tiers send 429 without Retry-After
  // (learn.microsoft.com/graph/throttling): 2.5–5 s, 5–10 s, 10–20 s.
  throttleBackoffBaseMs: 5_000,
  // Partner Center's documented 429 says "Try again in 57 seconds" (api-throttling-guidance.md).
  maxWaitMs: 60_000,
};

export const DEFAULT_TIMEOUT_MS = 30_000;

// Retry-After is delay-seconds (Graph sends fractions such as 2.128) or an HTTP date (RFC 9110 §10.2.3).
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// "Equal jitter": half the exponential delay is fixed, half random, so clients that failed together spread
// out without any of them retrying immediately.
export function backoffDelay(retry: number, baseMs: number, capMs: number, random: () => number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

export type NetworkFailure = 'refused' | 'reset' | 'timeout' | 'tls' | 'other';

export function isRetryableStatus(status: number, replay: Replay): boolean {
  if (status === 429) return true; // throttled requests are rejected before any work is done
  if (status === 408) return replay !== 'unsafe';
  return replay === 'safe' && (status === 500 || status === 502 || status === 503 || status === 504);
}

export function isRetryableNetworkFailure(failure: NetworkFailure, replay: Replay): boolean {
  switch (failure) {
    case 'refused':
      return true; // the request never left
    case 'reset':
    case 'timeout':
      return replay !== 'unsafe';
    case 'other':
      return replay === 'safe';
    case 'tls':
      return false; // an untrusted certificate does not fix itself
  }
}

const REFUSED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

// undici's fetch throws TypeError('fetch failed') with the socket error as `cause`.
export function classifyNetworkError(error: unknown): { failure: NetworkFailure; code?: string } {
  const cause = (error as { cause?: { code?: unknown; name?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && REFUSED.has(code)) return { failure: 'refused', code };
  if (code && RESET.has(code)) return { failure: 'reset', code };
  if (code && TIMEOUT.has(code)) return { failure: 'timeout', code };
  if (code && /CERT|SIGNATURE|^UNABLE_TO_|^ERR_TLS|^ERR_SSL/.test(code)) return { failure: 'tls', code };
  return { failure: 'other', code };
}

// For calls a person is waiting on (sign-in, consent): one retry, no long throttling waits.
export const INTERACTIVE_RETRY: Partial<RetryPolicy> = { maxAttempts: 2, maxWaitMs: 5_000 };
