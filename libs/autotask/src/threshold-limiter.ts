import { AutotaskThrottledError, fixFor } from './autotask-api.error';
import type { AutotaskThresholdInformation } from './autotask.types';

export type ThresholdReader = () => Promise<AutotaskThresholdInformation>;

export interface ThresholdLimiterOptions {
  // Stop sending once this share of the database's hourly threshold is used. The threshold is shared by every
  // integration of the database [ATTHR], and Autotask slows answers down as usage climbs, so a sync leaves room.
  highWaterFraction?: number; // default 0.8
  refreshEveryRequests?: number; // re-read ThresholdInformation after this many requests, default 100
  refreshIntervalMs?: number; // or after this long, default 5 minutes
  backoffMs?: number; // wait between re-reads while over the high-water mark, default 60 s
  maxWaitMs?: number; // give up (AutotaskThrottledError) after waiting this long in total for one request, default 60 min
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onBackoff?: (event: ThresholdBackoffEvent) => void;
}

export interface ThresholdBackoffEvent {
  used: number; // requests Autotask counted in the current timeframe, plus those sent since
  threshold: number;
  highWater: number;
  waitMs: number;
}

export interface ThresholdSnapshot {
  threshold?: number;
  timeframeMinutes?: number;
  usedAtLastRead?: number;
  sentSinceRead: number;
  lastReadAt?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Keeps one Autotask database under its hourly request threshold (10,000 per rolling hour, all integrations
// together [ATLIM]). Share one instance between every client and job that talks to the same database: it reads
// ThresholdInformation now and then, counts what was sent since, and holds requests back (re-reading after each
// wait) while the estimate is at or above the high-water mark. Autotask's window is rolling, so the only way to
// learn that old requests left it is to read again.
export class AutotaskThresholdLimiter {
  private readonly highWaterFraction: number;
  private readonly refreshEveryRequests: number;
  private readonly refreshIntervalMs: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private info?: AutotaskThresholdInformation;
  private lastReadAt?: number;
  private sentSinceRead = 0;
  private reading?: Promise<void>;

  constructor(private readonly options: ThresholdLimiterOptions = {}) {
    this.highWaterFraction = options.highWaterFraction ?? 0.8;
    if (!(this.highWaterFraction > 0 && this.highWaterFraction <= 1)) throw new Error('highWaterFraction must be in (0, 1].');
    this.refreshEveryRequests = options.refreshEveryRequests ?? 100;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.backoffMs = options.backoffMs ?? 60_000;
    this.maxWaitMs = options.maxWaitMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  // Called before every counted request; resolves when it may be sent.
  async beforeRequest(read: ThresholdReader): Promise<void> {
    let waited = 0;
    if (this.isStale()) await this.read(read);
    for (;;) {
      const threshold = this.info?.externalRequestThreshold;
      const used = this.estimatedUsage();
      const highWater = threshold === undefined ? Infinity : Math.floor(threshold * this.highWaterFraction);
      if (threshold === undefined || used < highWater) {
        this.sentSinceRead += 1;
        return;
      }
      if (waited >= this.maxWaitMs) {
        throw new AutotaskThrottledError({
          kind: 'throttled',
          status: 0,
          message: `Autotask: ${used} of the database's ${threshold} requests per ${this.info?.requestThresholdTimeframe ?? 60} minutes are used; Sync 365 stopped waiting after ${Math.round(waited / 1000)} s`,
          fix: fixFor('throttled'),
          retryAfterSeconds: Math.ceil(this.backoffMs / 1000),
        });
      }
      const waitMs = Math.min(this.backoffMs, this.maxWaitMs - waited);
      try {
        this.options.onBackoff?.({ used, threshold, highWater, waitMs });
      } catch {
        // Metrics must never break a call.
      }
      await this.sleep(waitMs);
      waited += waitMs;
      await this.read(read);
    }
  }

  // Autotask answered 429 (its Retry-After is waited by the client): our estimate was wrong, so the next request
  // reads ThresholdInformation again first, and backs off while the database is still over the high-water mark.
  recordThrottled(): void {
    this.lastReadAt = undefined;
  }

  // ThresholdInformation read by someone else (the client reads it for a person, too).
  observe(info: AutotaskThresholdInformation): void {
    this.info = info;
    this.lastReadAt = this.now();
    this.sentSinceRead = 0;
  }

  snapshot(): ThresholdSnapshot {
    return {
      threshold: this.info?.externalRequestThreshold,
      timeframeMinutes: this.info?.requestThresholdTimeframe,
      usedAtLastRead: this.info?.currentTimeframeRequestCount,
      sentSinceRead: this.sentSinceRead,
      lastReadAt: this.lastReadAt,
    };
  }

  private estimatedUsage(): number {
    return (this.info?.currentTimeframeRequestCount ?? 0) + this.sentSinceRead;
  }

  private isStale(): boolean {
    if (!this.info || this.lastReadAt === undefined) return true;
    return this.sentSinceRead >= this.refreshEveryRequests || this.now() - this.lastReadAt >= this.refreshIntervalMs;
  }

  // One read at a time: concurrent callers share it. A read refused as throttled means the database is over its
  // threshold: back off as if it said so.
  private async read(read: ThresholdReader): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.observe(await read());
      } catch (error) {
        if (!(error instanceof AutotaskThrottledError)) throw error;
        const threshold = this.info?.externalRequestThreshold ?? 10_000;
        this.observe({
          externalRequestThreshold: threshold,
          requestThresholdTimeframe: this.info?.requestThresholdTimeframe ?? 60,
          currentTimeframeRequestCount: threshold,
        });
      } finally {
        this.reading = undefined;
      }
    })();
    await this.reading;
  }
}
