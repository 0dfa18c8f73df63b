import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../../application/clock';
import { JobQueue } from '../../application/job-queue';
import { JobWorker } from '../../interface/jobs/job-handlers';
import { OUTBOX_RETENTION_DAYS, PGBOSS_ARCHIVE_RETENTION_DAYS, PROCESSED_EVENTS_RETENTION_DAYS } from './retention';

export const HOUSEKEEPING_QUEUE = 'shared.housekeeping';

// Rows per DELETE: each batch is its own short transaction (autocommit), so however large a backlog, no statement
// holds its row locks or a snapshot for long, and the relay and the handlers writing these tables are never kept
// waiting behind it.
export const HOUSEKEEPING_BATCH_SIZE = 5_000;

export interface HousekeepingReport {
  outboxMessages: number;
  processedEvents: number;
  jobArchive: number;
}

// Old rows of the job queue and the integration events, pruned daily (retention.ts says how old and why).
@Injectable()
export class HousekeepingJob {
  private readonly logger = new Logger('Housekeeping');
  batchSize = HOUSEKEEPING_BATCH_SIZE;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  // The cron only enqueues: every app instance fires it, and the day's key lets exactly one job through.
  @Cron('0 15 4 * * *', { name: 'housekeeping', timeZone: 'UTC' })
  async enqueueDaily(): Promise<void> {
    await this.jobs.enqueue(HOUSEKEEPING_QUEUE, {}, { onceKey: this.clock.now().toISOString().slice(0, 10) });
  }

  // Beats while it works through a backlog, so a long first run is not expired and retried side by side.
  @JobWorker({ queue: HOUSEKEEPING_QUEUE, policy: 'stately', retryLimit: 2, expireInSeconds: 10 * 60, heartbeatSeconds: 30 })
  async run(): Promise<HousekeepingReport> {
    const now = this.clock.now().getTime();
    const before = (days: number) => new Date(now - days * 24 * 60 * 60 * 1000);
    const report: HousekeepingReport = {
      // Unpublished messages stay whatever their age: the relay has yet to send them.
      outboxMessages: await this.deleteInBatches(
        'delete from outbox_messages where id in (select id from outbox_messages where published_at < ? order by published_at limit ?)',
        before(OUTBOX_RETENTION_DAYS),
      ),
      processedEvents: await this.deleteInBatches(
        'delete from processed_events where (event_id, handler) in (select event_id, handler from processed_events where processed_at < ? order by processed_at limit ?)',
        before(PROCESSED_EVENTS_RETENTION_DAYS),
      ),
      jobArchive: await this.deleteInBatches(
        'delete from pgboss.archive where (name, id) in (select name, id from pgboss.archive where archived_on < ? order by archived_on limit ?)',
        before(PGBOSS_ARCHIVE_RETENTION_DAYS),
      ),
    };
    this.logger.log({ deleted: report }, 'Old outbox messages, processed events and job archives deleted');
    return report;
  }

  private async deleteInBatches(sql: string, olderThan: Date): Promise<number> {
    const connection = this.orm.em.fork().getConnection();
    let total = 0;
    for (;;) {
      const result = await connection.execute<{ affectedRows: number }>(sql, [olderThan, this.batchSize], 'run');
      total += result.affectedRows;
      if (result.affectedRows < this.batchSize) return total;
    }
  }
}
