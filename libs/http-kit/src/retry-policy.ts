// The retry policy the wire clients (libs/microsoft, libs/connectwise-psa, libs/autotask) share: bounded attempts,
// Retry-After honoured up to a cap, "equal jitter" backoff, and what may be sent again by the request's replay safety.

export interface RetryPolicy {
  maxAttempts: number; // including the first
  backoffBaseMs: number; // 5xx, 408, network: jittered base·2^(n-1)
  throttleBackoffBaseMs: number; // 429 without Retry-After
  maxWaitMs: number; // cap on one wait; a longer Retry-After is not waited for, the error carries it
}

export const DEFAULT_TIMEOUT_MS = 30_000; // per attempt

// What may be sent again after a failure:
// - 'safe': idempotent (reads, token requests): 408, 429, 5xx, connection failures and timeouts.
// - 'deduplicated': the server drops a repeat carrying the same request id: 408, 429, connection failures and
//   timeouts, but not a 5xx, which is an answer whose effect is unknown.
// - 'unsafe': only when the server certainly did not act: 429 and refused connections.
export type Replay = 'safe' | 'deduplicated' | 'unsafe';

// Retry-After is delay-seconds (Graph sends fractions such as 2.128) or an HTTP date (RFC 9110 §10.2.3); in ms.
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

// The wait after an HTTP failure: the server's Retry-After, or the backoff (the throttle base for a 429).
export function waitAfterStatus(
  policy: RetryPolicy,
  attempt: number,
  status: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  return (
    retryAfterMs ?? backoffDelay(attempt, status === 429 ? policy.throttleBackoffBaseMs : policy.backoffBaseMs, policy.maxWaitMs, random)
  );
}

export function isRetryableStatus(status: number, replay: Replay): boolean {
  if (status === 429) return true; // throttled requests are rejected before any work is done
  if (status === 408) return replay !== 'unsafe';
  return replay === 'safe' && (status === 500 || status === 502 || status === 503 || status === 504);
}

export type NetworkFailure = 'refused' | 'reset' | 'timeout' | 'tls' | 'other';

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
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && REFUSED.has(code)) return { failure: 'refused', code };
  if (code && RESET.has(code)) return { failure: 'reset', code };
  if (code && TIMEOUT.has(code)) return { failure: 'timeout', code };
  if (code && /CERT|SIGNATURE|^UNABLE_TO_|^ERR_TLS|^ERR_SSL/.test(code)) return { failure: 'tls', code };
  return { failure: 'other', code };
}
