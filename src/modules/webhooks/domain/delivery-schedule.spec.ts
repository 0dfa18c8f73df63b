import { DEFAULT_RETRY_DELAYS_SECONDS, MAX_RETRY_AFTER_SECONDS, maxAttempts, nextStep } from './delivery-schedule';

const failed = { delivered: false, retryAfterSeconds: null };

describe('webhook retry schedule', () => {
  it('makes 8 attempts over about an hour by default, each wait longer than the last', () => {
    expect(maxAttempts(DEFAULT_RETRY_DELAYS_SECONDS)).toBe(8);
    const total = DEFAULT_RETRY_DELAYS_SECONDS.reduce((sum, s) => sum + s, 0);
    expect(total).toBeGreaterThan(55 * 60);
    expect(total).toBeLessThan(75 * 60);
    expect(DEFAULT_RETRY_DELAYS_SECONDS.slice(0, 3)).toEqual([10, 30, 120]);
    DEFAULT_RETRY_DELAYS_SECONDS.slice(1).forEach((delay, i) => expect(delay).toBeGreaterThan(DEFAULT_RETRY_DELAYS_SECONDS[i]));
  });

  it('waits the scheduled time after each failed attempt and gives up after the last', () => {
    const delays = [10, 30, 120];
    expect(nextStep(1, failed, delays)).toEqual({ state: 'retrying', inSeconds: 10 });
    expect(nextStep(2, failed, delays)).toEqual({ state: 'retrying', inSeconds: 30 });
    expect(nextStep(3, failed, delays)).toEqual({ state: 'retrying', inSeconds: 120 });
    expect(nextStep(4, failed, delays)).toEqual({ state: 'failed' });
  });

  it('gives up at once on a permanent failure (an address Sync 365 does not send to)', () => {
    expect(nextStep(1, { ...failed, permanent: true }, [10, 30])).toEqual({ state: 'failed' });
    expect(nextStep(1, { ...failed, permanent: false }, [10, 30])).toEqual({ state: 'retrying', inSeconds: 10 });
  });

  it('stops at the first delivered attempt', () => {
    expect(nextStep(1, { delivered: true, retryAfterSeconds: null }, [10])).toEqual({ state: 'delivered' });
    expect(nextStep(2, { delivered: true, retryAfterSeconds: null }, [10])).toEqual({ state: 'delivered' });
  });

  it('honours a longer Retry-After, but never for more than an hour, and never waits less than scheduled', () => {
    expect(nextStep(1, { delivered: false, retryAfterSeconds: 90 }, [10, 30])).toEqual({ state: 'retrying', inSeconds: 90 });
    expect(nextStep(1, { delivered: false, retryAfterSeconds: 2 }, [10, 30])).toEqual({ state: 'retrying', inSeconds: 10 });
    expect(nextStep(1, { delivered: false, retryAfterSeconds: 7 * 24 * 3600 }, [10, 30])).toEqual({
      state: 'retrying',
      inSeconds: MAX_RETRY_AFTER_SECONDS,
    });
    expect(nextStep(3, { delivered: false, retryAfterSeconds: 5 }, [10, 30])).toEqual({ state: 'failed' });
  });
});
