// How long the job queue and the integration events keep what they no longer need, and why. The housekeeping job
// (housekeeping.job.ts) deletes past these ages once a day; pg-boss.service.ts passes pg-boss its part.

const DAY_SECONDS = 24 * 60 * 60;

// Every queue's retry settings unless its worker says otherwise (PgBossService.ensureQueue).
export const QUEUE_DEFAULTS = { retryLimit: 5, retryBackoff: true, retryDelaySeconds: 5, expireInSeconds: 15 * 60 } as const;
// Integration-event handler queues retry more: an event must not be lost to a passing outage (JobWorkerRegistry).
export const EVENT_QUEUE_RETRY_LIMIT = 10;
export const MAINTENANCE_INTERVAL_SECONDS = 15;
// pg-boss keeps a job that waits (created, or waiting for a retry) until its keep_until: created + 14 days, its
// default retention (plans.js insertJob); no queue here sets another. Past that it is archived without running.
export const PGBOSS_WAITING_JOB_RETENTION_DAYS = 14;

// Published outbox messages: delivery no longer needs them once published (their jobs are in pg-boss, and
// redeliveries are recognised by processed_events). A week answers "was this event sent, and when?".
export const OUTBOX_RETENTION_DAYS = 7;

// processed_events is what makes a redelivered event a no-op, so a row must outlive every redelivery of its event
// (longestEventRedeliverySeconds): about 5.6 hours of retries while workers run, and up to the 14 days pg-boss
// keeps a waiting job should every instance be down meanwhile. 30 days leaves more than two weeks of margin.
export const PROCESSED_EVENTS_RETENTION_DAYS = 30;

// Finished jobs leave pg-boss's job table after 12 hours (its default) for pgboss.archive, which nothing reads back:
// it is the record of what ran and why a job failed. Two weeks covers "why did last week's import fail?".
export const PGBOSS_ARCHIVE_AFTER_SECONDS = 12 * 60 * 60;
export const PGBOSS_ARCHIVE_RETENTION_DAYS = 14;
// pg-boss's own archive purge (deleteAfterDays): later than ours, so it only acts if housekeeping stopped.
export const PGBOSS_ARCHIVE_BACKSTOP_DAYS = 30;

// The longest an event job can still run again after a handler's first committed run: a process that died between
// committing and completing the job leaves it active; maintenance expires it after expireIn (and up to one
// maintenance interval more), then pg-boss retries it after retryDelay × 2^(n+1) seconds at most (exponential backoff,
// plans.js failJobs), up to retryLimit times. Should no worker run meanwhile, a waiting job keeps its chance
// until pg-boss's retention ends. Returns seconds.
export function longestEventRedeliverySeconds(settings: {
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  maintenanceIntervalSeconds: number;
  waitingJobRetentionDays: number;
}): number {
  let seconds = 0;
  for (let retry = 0; retry < settings.retryLimit; retry++) {
    seconds += settings.expireInSeconds + settings.maintenanceIntervalSeconds + settings.retryDelaySeconds * 2 ** Math.min(16, retry + 1);
  }
  // The last attempt may run (and be expired) too.
  seconds += settings.expireInSeconds + settings.maintenanceIntervalSeconds;
  return seconds + settings.waitingJobRetentionDays * DAY_SECONDS;
}

export const EVENT_QUEUE_SETTINGS = {
  retryLimit: EVENT_QUEUE_RETRY_LIMIT,
  retryDelaySeconds: QUEUE_DEFAULTS.retryDelaySeconds,
  expireInSeconds: QUEUE_DEFAULTS.expireInSeconds,
  maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
  waitingJobRetentionDays: PGBOSS_WAITING_JOB_RETENTION_DAYS,
} as const;
