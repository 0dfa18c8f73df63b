import { notifyAttempt, resolveRequestUrl } from './request-url';
import {
  backoffDelay,
  classifyNetworkError,
  isRetryableNetworkFailure,
  isRetryableStatus,
  parseRetryAfter,
  waitAfterStatus,
  type RetryPolicy,
} from './retry-policy';

const POLICY: RetryPolicy = { maxAttempts: 4, backoffBaseMs: 1_000, throttleBackoffBaseMs: 5_000, maxWaitMs: 60_000 };

describe('the shared retry policy (http kit)', () => {
  it('reads Retry-After as seconds (fractions too) or an HTTP date, in ms', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(parseRetryAfter('2.128')).toBe(2128);
    expect(parseRetryAfter(' 57 ')).toBe(57_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off with equal jitter, capped, and takes the throttle base for a 429 without Retry-After', () => {
    expect(backoffDelay(1, 1_000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(3, 1_000, 60_000, () => 1)).toBe(4_000);
    expect(backoffDelay(10, 1_000, 60_000, () => 1)).toBe(60_000);
    expect(waitAfterStatus(POLICY, 1, 429, undefined, () => 0)).toBe(2_500);
    expect(waitAfterStatus(POLICY, 1, 503, undefined, () => 0)).toBe(500);
    expect(waitAfterStatus(POLICY, 1, 429, 7_000, () => 0)).toBe(7_000);
  });

  it('retries by replay safety: 429 always, 408 unless unsafe, 5xx only when safe', () => {
    expect([isRetryableStatus(429, 'unsafe'), isRetryableStatus(408, 'unsafe'), isRetryableStatus(408, 'deduplicated')]).toEqual([
      true,
      false,
      true,
    ]);
    expect([
      isRetryableStatus(503, 'safe'),
      isRetryableStatus(503, 'deduplicated'),
      isRetryableStatus(501, 'safe'),
      isRetryableStatus(404, 'safe'),
    ]).toEqual([true, false, false, false]);
    expect(['refused', 'reset', 'timeout', 'other', 'tls'].map((failure) => isRetryableNetworkFailure(failure as never, 'unsafe'))).toEqual(
      [true, false, false, false, false],
    );
    expect(['refused', 'reset', 'timeout', 'other', 'tls'].map((failure) => isRetryableNetworkFailure(failure as never, 'safe'))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('classifies fetch failures by their cause code', () => {
    const failed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });
    expect(
      ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'SELF_SIGNED_CERT_IN_CHAIN', 'EWHATEVER'].map(
        (code) => classifyNetworkError(failed(code)).failure,
      ),
    ).toEqual(['refused', 'reset', 'timeout', 'tls', 'other']);
    expect(classifyNetworkError(new Error('no cause'))).toEqual({ failure: 'other', code: undefined });
  });

  it('resolves a path below the base URL and keeps next links on the base origin', () => {
    const base = new URL('https://api.example/v4_6_release/apis/3.0');
    const refuse = (url: URL) => new Error(`refused ${url.origin}`);
    expect(resolveRequestUrl(base, '/company/companies', 'page=2', refuse).toString()).toBe(
      'https://api.example/v4_6_release/apis/3.0/company/companies?page=2',
    );
    expect(resolveRequestUrl(base, 'https://api.example/v4_6_release/apis/3.0/x?page=3', 'pageSize=10', refuse).toString()).toBe(
      'https://api.example/v4_6_release/apis/3.0/x?page=3&pageSize=10',
    );
    expect(() => resolveRequestUrl(base, 'https://elsewhere.example/x', '', refuse)).toThrow('refused https://elsewhere.example');
  });

  it('tells the attempt listener, and a listener that throws does not break the call', () => {
    const seen: number[] = [];
    notifyAttempt((attempt: number) => seen.push(attempt), 1);
    notifyAttempt(undefined, 2);
    expect(() =>
      notifyAttempt(() => {
        throw new Error('metrics down');
      }, 3),
    ).not.toThrow();
    expect(seen).toEqual([1]);
  });
});
