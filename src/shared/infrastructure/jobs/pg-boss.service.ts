import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { AppConfig } from '../../../config/app-config';
import { JobQueue, type EnqueueOptions } from '../../application/job-queue';

// The one pg-boss instance of this process. Its schema comes from a migration (`migrate: false`); cron-style
// scheduling is @nestjs/schedule's job (crons only enqueue), so pg-boss's own scheduler is off.
@Injectable()
export class PgBossService extends JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  readonly boss: PgBoss;
  private started?: Promise<PgBoss>;

  constructor(config: AppConfig) {
    super();
    this.boss = new PgBoss({
      connectionString: config.databaseUrl,
      application_name: 'sync365-jobs',
      max: 5,
      migrate: false,
      schedule: false,
      supervise: true,
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'Job queue error'));
  }

  start(): Promise<PgBoss> {
    return (this.started ??= this.boss.start());
  }

  async ensureQueue(queue: string, options: { retryLimit?: number; expireInSeconds?: number; policy?: PgBoss.QueuePolicy } = {}): Promise<void> {
    await this.start();
    if (!(await this.boss.getQueue(queue))) {
      await this.boss.createQueue(queue, {
        name: queue,
        policy: options.policy ?? 'standard',
        retryLimit: options.retryLimit ?? 5,
        retryBackoff: true,
        retryDelay: 5,
        expireInSeconds: options.expireInSeconds ?? 15 * 60,
      });
    }
  }

  async enqueue(queue: string, data: object, options: EnqueueOptions = {}): Promise<string | null> {
    await this.ensureQueue(queue);
    const id = await this.boss.send(queue, data, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
    });
    if (id) this.wake(queue);
    return id;
  }

  // Workers poll; a job enqueued by this process wakes its local workers at once instead.
  private readonly workerIds = new Map<string, string[]>();

  registerWorker(queue: string, workerId: string): void {
    this.workerIds.set(queue, [...(this.workerIds.get(queue) ?? []), workerId]);
  }

  wake(queue: string): void {
    for (const id of this.workerIds.get(queue) ?? []) this.boss.notifyWorker(id);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    // Running jobs get a moment to finish; anything unfinished is picked up again after a restart.
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
