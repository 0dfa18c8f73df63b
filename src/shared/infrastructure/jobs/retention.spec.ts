import {
  EVENT_QUEUE_SETTINGS,
  longestEventRedeliverySeconds,
  PGBOSS_ARCHIVE_AFTER_SECONDS,
  PGBOSS_ARCHIVE_BACKSTOP_DAYS,
  PGBOSS_ARCHIVE_RETENTION_DAYS,
  PROCESSED_EVENTS_RETENTION_DAYS,
} from './retention';

const DAY = 24 * 60 * 60;

describe('retention of the job queue and integration events', () => {
  it('keeps processed events longer than any redelivery of their event, with at least a week to spare', () => {
    // Should someone raise the event queues' retries or pg-boss's retention, this says the guard must last longer.
    expect(PROCESSED_EVENTS_RETENTION_DAYS * DAY - longestEventRedeliverySeconds(EVENT_QUEUE_SETTINGS)).toBeGreaterThan(7 * DAY);
  });

  it('works out the redelivery window from the retry settings: backoff, expiry and pg-boss keeping a waiting job', () => {
    // While workers run: 10 retries, each after up to 15 min 15 s for an attempt that died plus 5 × 2^(n+1) s.
    const whileRunning = longestEventRedeliverySeconds({ ...EVENT_QUEUE_SETTINGS, waitingJobRetentionDays: 0 });
    expect(whileRunning).toBe(11 * (15 * 60 + 15) + 5 * (2 + 4 + 8 + 16 + 32 + 64 + 128 + 256 + 512 + 1024));
    expect(whileRunning / 3600).toBeCloseTo(5.64, 2);
    expect(longestEventRedeliverySeconds(EVENT_QUEUE_SETTINGS)).toBe(whileRunning + 14 * DAY);
  });

  it('purges pg-boss’s archive itself, in batches, before pg-boss’s own unbatched purge would', () => {
    expect(PGBOSS_ARCHIVE_BACKSTOP_DAYS).toBeGreaterThan(PGBOSS_ARCHIVE_RETENTION_DAYS);
    expect(PGBOSS_ARCHIVE_AFTER_SECONDS).toBeLessThan(DAY);
  });
});
