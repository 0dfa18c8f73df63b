export interface ConnectWiseRetryPolicy {
  maxAttempts: number; // including the first
  backoffBaseMs: number; // 5xx (reads only) and network failures: jittered base·2^(n-1)
  throttleBackoffBaseMs: number; // 429 without Retry-After
  maxWaitMs: number; // cap on one wait: a longer Retry-After is not waited for, the error carries it
}

// Bounded: at most 4 attempts, no wait above 60 s. ConnectWise publishes no numeric limit; Cloudflare in front of
// the cloud answers 429 (PYCW#41), with Retry-After in seconds (CWDOC).
export const DEFAULT_CONNECTWISE_RETRY: ConnectWiseRetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  throttleBackoffBaseMs: 5_000,
  maxWaitMs: 60_000,
};

export const DEFAULT_CONNECTWISE_TIMEOUT_MS = 30_000;

// Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(retry: number, baseMs: number, capMs: number, random: () => number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

const REFUSED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_CLOSED']);

export type NetworkFailure = 'refused' | 'reset' | 'timeout' | 'other';

export function classifyNetworkError(error: unknown): { failure: NetworkFailure; code?: string } {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && REFUSED.has(code)) return { failure: 'refused', code };
  if (code && RESET.has(code)) return { failure: 'reset', code };
  return { failure: 'other', code };
}
