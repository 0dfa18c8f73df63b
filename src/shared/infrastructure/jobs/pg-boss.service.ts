import { createHash } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { AppConfig } from '../../../config/app-config';
import { JobQueue, type EnqueueOptions } from '../../application/job-queue';
import { MAINTENANCE_INTERVAL_SECONDS, PGBOSS_ARCHIVE_AFTER_SECONDS, PGBOSS_ARCHIVE_BACKSTOP_DAYS, QUEUE_DEFAULTS } from './retention';

// PostgreSQL's error code for a connection ended by a shutdown (terminating connection due to administrator command).
const ADMIN_SHUTDOWN = '57P01';

// The one pg-boss instance of this process. Its schema comes from a migration (`migrate: false`); cron-style
// scheduling is @nestjs/schedule's job (crons only enqueue), so pg-boss's own scheduler is off.
@Injectable()
export class PgBossService extends JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  readonly boss: PgBoss;
  private started?: Promise<PgBoss>;
  private shutdownReportedAt = -Infinity;

  constructor(config: AppConfig) {
    super();
    this.boss = new PgBoss({
      connectionString: config.databaseUrl,
      application_name: 'sync365-jobs',
      // Every worker fetches, completes and beats through this pool (two per job at least, plus polls): with 5 connections an
      // import at IMPORT_CONCURRENCY=32 spent more time waiting for one than working, with 15 one at 96 still waited
      // (npm run bench:profile).
      max: 20,
      migrate: false,
      schedule: false,
      supervise: true,
      // Maintenance expires the jobs of dead processes: every 15 s, so a job that stopped beating is retried
      // within a minute (pg-boss's default is 2 minutes).
      maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
      // Maintenance also moves finished jobs to pgboss.archive after 12 hours (pg-boss's default, said here): the
      // job table workers fetch from stays small, and a onceKey job id blocks a second job for that long, far more
      // than the seconds between the instances' crons firing.
      archiveCompletedAfterSeconds: PGBOSS_ARCHIVE_AFTER_SECONDS,
      // pg-boss's own purge of the archive is one unbounded DELETE, run at every maintenance. The housekeeping job
      // purges the archive in short batches after PGBOSS_ARCHIVE_RETENTION_DAYS (jobs/retention.ts); this later
      // limit is only a backstop should that job stop running, so pg-boss never finds a backlog to delete at once.
      deleteAfterDays: PGBOSS_ARCHIVE_BACKSTOP_DAYS,
    });
    this.boss.on('error', (error) => this.report(error));
  }

  // PostgreSQL ending the queue's connections (57P01, admin shutdown: a restart, a failover, or Ctrl-C on npm start,
  // which reaches the embedded PostgreSQL as well as the app) is not an error of the queue's: said in plain words, once
  // a minute, without a stack per connection. New connections are opened once PostgreSQL is back, and a job cut off is
  // retried.
  private report(error: Error & { code?: string }): void {
    if (error.code !== ADMIN_SHUTDOWN) return this.logger.error({ err: error }, 'Job queue error');
    const now = Date.now();
    if (now - this.shutdownReportedAt < 60_000) return;
    this.shutdownReportedAt = now;
    this.logger.warn(
      'PostgreSQL closed the job queue connections (it is shutting down or restarting); they are opened again once it is back.',
    );
  }

  start(): Promise<PgBoss> {
    return (this.started ??= this.boss.start());
  }

  async ensureQueue(
    queue: string,
    options: { retryLimit?: number; expireInSeconds?: number; policy?: PgBoss.QueuePolicy } = {},
  ): Promise<void> {
    await this.start();
    if (!(await this.boss.getQueue(queue))) {
      await this.boss.createQueue(queue, {
        name: queue,
        policy: options.policy ?? 'standard',
        retryLimit: options.retryLimit ?? QUEUE_DEFAULTS.retryLimit,
        retryBackoff: QUEUE_DEFAULTS.retryBackoff,
        retryDelay: QUEUE_DEFAULTS.retryDelaySeconds,
        expireInSeconds: options.expireInSeconds ?? QUEUE_DEFAULTS.expireInSeconds,
      });
    }
  }

  async enqueue(queue: string, data: object, options: EnqueueOptions = {}): Promise<string | null> {
    await this.ensureQueue(queue);
    const id = await this.boss.send(queue, data, {
      ...(options.onceKey ? { id: stableJobId(queue, options.onceKey) } : {}),
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
    });
    if (id) this.wake(queue);
    return id;
  }

  async enqueueMany(queue: string, jobs: { data: object; singletonKey?: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.ensureQueue(queue);
    await this.boss.insert(jobs.map((job) => ({ name: queue, data: job.data, singletonKey: job.singletonKey })));
    this.wake(queue, jobs.length);
  }

  // Several jobs, each with its own id (pg-boss ignores one whose id it already holds), in one INSERT: the outbox
  // relay sends a batch of events with one statement instead of one per event and handler. Wakes as many local
  // workers of each queue as it gave that queue jobs.
  async sendWithIds(jobs: { queue: string; id: string; data: object }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.start();
    await this.boss.insert(jobs.map((job) => ({ name: job.queue, id: job.id, data: job.data })));
    const perQueue = new Map<string, number>();
    for (const job of jobs) perQueue.set(job.queue, (perQueue.get(job.queue) ?? 0) + 1);
    for (const [queue, count] of perQueue) this.wake(queue, count);
  }

  async hasUnfinished(queue: string, singletonKeyPrefix: string): Promise<boolean> {
    await this.start();
    const { rows } = await this.boss.getDb().executeSql(
      `select 1 from pgboss.job where name = $1 and state < 'completed' and starts_with(singleton_key, $2)
         and not (state = 'active' and started_on + expire_in < now()) limit 1`,
      [queue, singletonKeyPrefix],
    );
    return rows.length > 0;
  }

  // A running job's heartbeat: it may run `aliveForSeconds` more from now. pg-boss expires an active job whose
  // started_on + expire_in has passed (failJobsByTimeout), so moving expire_in keeps a live job and lets a dead
  // one be retried soon.
  // Beats go together: while one statement for a queue and lifetime is under way, the beats asked for meanwhile wait and
  // share the next one. An idle queue beats at once; an import starting 50 tenants a second, whose every read beats
  // before it starts, sent one statement per tenant, each waiting its turn on this pool (npm run bench:profile).
  async beat(queue: string, jobId: string, aliveForSeconds: number): Promise<void> {
    const key = `${queue}|${aliveForSeconds}`;
    let batch = this.beats.get(key);
    if (!batch) this.beats.set(key, (batch = { sending: false, next: [] }));
    const own = batch;
    const done = new Promise<void>((resolve, reject) => own.next.push({ jobId, resolve, reject }));
    if (!own.sending) void this.sendBeats(key, queue, aliveForSeconds);
    return done;
  }

  private readonly beats = new Map<
    string,
    { sending: boolean; next: { jobId: string; resolve: () => void; reject: (error: unknown) => void }[] }
  >();

  private async sendBeats(key: string, queue: string, aliveForSeconds: number): Promise<void> {
    const batch = this.beats.get(key)!;
    batch.sending = true;
    while (batch.next.length > 0) {
      const beats = batch.next.splice(0);
      try {
        await this.boss
          .getDb()
          .executeSql(
            `update pgboss.job set expire_in = (now() - started_on) + make_interval(secs => $3) where name = $1 and id = any($2::uuid[]) and state = 'active'`,
            [queue, beats.map((beat) => beat.jobId), aliveForSeconds],
          );
        for (const beat of beats) beat.resolve();
      } catch (error) {
        for (const beat of beats) beat.reject(error);
      }
    }
    batch.sending = false;
    this.beats.delete(key);
  }

  // Workers poll; a job enqueued by this process wakes its local workers at once instead.
  private readonly workerIds = new Map<string, string[]>();
  private readonly nextToWake = new Map<string, number>();

  registerWorker(queue: string, workerId: string): void {
    this.workerIds.set(queue, [...(this.workerIds.get(queue) ?? []), workerId]);
  }

  // Wakes as many workers as there are new jobs (all by default), taking turns: waking all eight workers of an event
  // queue for one event made seven of them fetch nothing, and those fetches queued on the pool every job needs.
  // A worker woken while busy fetches again as soon as its job ends; any job not fetched by a woken worker is found
  // by the next poll.
  wake(queue: string, jobs = Infinity): void {
    const ids = this.workerIds.get(queue) ?? [];
    const count = Math.min(ids.length, jobs);
    const first = this.nextToWake.get(queue) ?? 0;
    for (let i = 0; i < count; i++) this.boss.notifyWorker(ids[(first + i) % ids.length]);
    if (ids.length > 0) this.nextToWake.set(queue, (first + count) % ids.length);
  }

  // Handlers running now (jobs and events): shutdown waits for them.
  private running = 0;
  private idle: (() => void) | undefined;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      if (--this.running === 0) this.idle?.();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    // Running jobs get a moment to finish; anything unfinished is picked up again after a restart.
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    // pg-boss's offWork keeps polling every second after stop() resolves until each worker's loop has ended
    // (manager.js), and a loop ends only when its handler returns — which a slow handler does after stop()'s timeout.
    // Waiting for our handlers, then for the poll's last tick, lets the process (or a test run) end without a timer
    // firing into a torn-down runtime.
    if (this.running > 0) await new Promise<void>((resolve) => ((this.idle = resolve), setTimeout(resolve, 60_000).unref()));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  }
}

// A stable UUID from its parts: pg-boss ignores a second job with an id it already holds.
export function stableJobId(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join(':')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
