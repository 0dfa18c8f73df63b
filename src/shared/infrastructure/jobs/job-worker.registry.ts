import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AppConfig } from '../../../config/app-config';
import type { IntegrationEvent } from '../../application/integration-event';
import {
  EVENT_HANDLER,
  EVENT_HANDLER_OPTIONS,
  JOB_WORKER,
  type EventHandlerOptions,
  type JobWorkerOptions,
} from '../../interface/jobs/job-handlers';
import { PgBossService } from './pg-boss.service';
import { EVENT_QUEUE_RETRY_LIMIT } from './retention';

type Handler = (input: unknown) => Promise<void>;

// Finds every @JobWorker and @OnIntegrationEvent method at start-up and subscribes it to its pg-boss queue.
// Each job runs in its own MikroORM context; an event handler runs in one transaction with its inbox row.
@Injectable()
export class JobWorkerRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');
  private markReady!: () => void;
  // The relay waits for this: an event relayed before its handlers subscribed would reach nobody.
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  pollingIntervalSeconds = 1;
  // The first worker of each job queue polls every pollingIntervalSeconds; the others, idle, only this often: they are
  // woken by this process's enqueues and by a sibling that found a job. An import reading 96 tenants at once otherwise
  // polled its empty queue 96 times a second for as long as the app ran. Event handlers (a few workers per queue) all
  // poll every second: the relay wakes them in turn whether busy or not, and an idle one asleep for 10 s left a
  // relayed event waiting behind a busy one.
  idlePollingIntervalSeconds = 10;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly jobs: PgBossService,
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const target = instance[method] as (...args: unknown[]) => unknown;
        const worker = Reflect.getMetadata(JOB_WORKER, target) as JobWorkerOptions | undefined;
        const eventName = Reflect.getMetadata(EVENT_HANDLER, target) as string | undefined;
        const handler = target.bind(instance) as Handler;
        if (worker) await this.subscribeWorker(worker, handler);
        const eventOptions = Reflect.getMetadata(EVENT_HANDLER_OPTIONS, target) as EventHandlerOptions | undefined;
        if (eventName) await this.subscribeEventHandler(eventName, `${instance.constructor.name}.${method}`, handler, eventOptions);
      }
    }
    this.markReady();
  }

  // pg-boss waits out the polling interval after every job, busy or not (worker.js); a worker that just ran a
  // job fetches the next one at once instead, and waits only when its queue is empty.
  private keepGoing(workerId: string): void {
    if (workerId) this.jobs.boss.notifyWorker(workerId);
  }

  private async subscribeWorker(options: JobWorkerOptions, handler: Handler): Promise<void> {
    await this.jobs.ensureQueue(options.queue, options);
    const concurrency = typeof options.concurrency === 'function' ? options.concurrency(this.config) : (options.concurrency ?? 1);
    const ids: string[] = [];
    for (let i = 0; i < concurrency; i++) {
      let id = '';
      id = await this.jobs.boss.work<object>(
        options.queue,
        { pollingIntervalSeconds: i === 0 ? this.pollingIntervalSeconds : this.idlePollingIntervalSeconds, batchSize: 1 },
        async ([job]) => {
          // Found one: the next worker looks too (jobs another instance queued or that came due reach every worker in
          // turn, not only the one polling often). A busy one looks once its job is done, as it would anyway.
          if (i + 1 < ids.length) this.keepGoing(ids[i + 1]);
          let heart: NodeJS.Timeout | undefined;
          try {
            if (options.heartbeatSeconds) heart = await this.startHeartbeat(options.queue, job.id, options.heartbeatSeconds);
            await this.jobs.track(() => RequestContext.create(this.orm.em, () => handler(job.data)));
          } catch (error) {
            // pg-boss keeps the error with the job and retries it; the log says so where people look.
            this.logger.error({ err: error, queue: options.queue, jobId: job.id }, 'Job failed; it will be retried if it has retries left');
            throw error;
          } finally {
            clearInterval(heart);
            this.keepGoing(id);
          }
        },
      );
      ids.push(id);
      this.jobs.registerWorker(options.queue, id);
    }
  }

  // Beats once before the job starts (a job fetched just before its process died is retried within 3 beats,
  // whatever expire_in it was created with), then every `seconds` while it runs.
  private async startHeartbeat(queue: string, jobId: string, seconds: number): Promise<NodeJS.Timeout> {
    const beat = () => this.jobs.beat(queue, jobId, 3 * seconds);
    await beat();
    return setInterval(
      () => void beat().catch((error: unknown) => this.logger.warn({ err: error, queue, jobId }, 'A job heartbeat could not be written')),
      seconds * 1000,
    );
  }

  private async subscribeEventHandler(
    eventName: string,
    handlerName: string,
    handler: Handler,
    options: EventHandlerOptions = {},
  ): Promise<void> {
    const queue = `event.${eventName}.${handlerName}`;
    await this.jobs.ensureQueue(queue, { retryLimit: EVENT_QUEUE_RETRY_LIMIT });
    // The subscription is stored in the database (pg-boss's subscription table), so every instance relays the
    // event to this handler, including instances running older code during a rolling deploy.
    await this.jobs.boss.subscribe(eventName, queue);
    const concurrency = typeof options.concurrency === 'function' ? options.concurrency(this.config) : (options.concurrency ?? 1);
    const batchSize = Math.max(1, options.batchSize ?? 1);
    const batch = { size: batchSize, receivesBatch: options.receivesBatch ?? false };
    for (let i = 0; i < concurrency; i++) await this.workEvents(queue, handlerName, handler, this.pollingIntervalSeconds, batch);
  }

  private async workEvents(
    queue: string,
    handlerName: string,
    handler: Handler,
    pollingIntervalSeconds: number,
    batch: { size: number; receivesBatch: boolean },
  ): Promise<void> {
    let id = '';
    id = await this.jobs.boss.work<{ event: IntegrationEvent }>(queue, { pollingIntervalSeconds, batchSize: batch.size }, async (jobs) => {
      this.keepGoing(id);
      if (jobs.length === 1) return this.handleEvent(queue, handlerName, handler, jobs[0].data.event, batch.receivesBatch);
      await this.jobs.track(async () => {
        try {
          await RequestContext.create(this.orm.em, () =>
            this.handleBatch(
              handlerName,
              handler,
              jobs.map((job) => job.data.event),
              batch.receivesBatch,
            ),
          );
        } catch (error) {
          // Rolled back whole: each event again on its own, and only those that fail again are retried (pg-boss
          // completes the rest when this returns; a job failed here is no longer active, so it stays failed).
          this.logger.warn({ err: error, queue, events: jobs.length }, 'A batch of events failed; handling them one by one');
          for (const job of jobs) {
            await this.handleEvent(queue, handlerName, handler, job.data.event, batch.receivesBatch).catch((failure: unknown) =>
              this.jobs.boss.fail(
                queue,
                job.id,
                failure instanceof Error ? { message: failure.message, stack: failure.stack } : { failure },
              ),
            );
          }
        }
      });
    });
    this.jobs.registerWorker(queue, id);
  }

  // One event in its own transaction with its inbox row.
  private handleEvent(
    queue: string,
    handlerName: string,
    handler: Handler,
    event: IntegrationEvent,
    receivesBatch: boolean,
  ): Promise<void> {
    return this.jobs
      .track(() =>
        RequestContext.create(this.orm.em, () =>
          this.orm.em.transactional(async (em) => {
            const inserted = await em
              .getConnection()
              .execute(
                'insert into processed_events (event_id, handler, processed_at) values (?, ?, now()) on conflict do nothing returning event_id',
                [event.id, handlerName],
                'all',
                em.getTransactionContext(),
              );
            if (inserted.length === 0) return this.logger.debug({ eventId: event.id, handler: handlerName }, 'Event already handled');
            await handler(receivesBatch ? [event] : event);
          }),
        ),
      )
      .catch((error: unknown) => {
        this.logger.error({ err: error, queue, eventId: event.id }, 'Event handler failed; it will be retried');
        throw error;
      });
  }

  // Several events in one transaction: their inbox rows in one statement (those already handled are skipped), then the
  // fresh ones to a handler that receives the batch, or each in turn, its writes flushed and the identity map cleared
  // before the next, as if each had a transaction of its own.
  private handleBatch(handlerName: string, handler: Handler, events: IntegrationEvent[], receivesBatch: boolean): Promise<void> {
    return this.orm.em.transactional(async (em) => {
      // The commit need not wait for the disk: the jobs are completed afterwards by a commit that does, and PostgreSQL
      // writes its log in order, so that one makes this one durable too. Should PostgreSQL crash before, both are lost
      // together, and the jobs (inbox rows gone with them) run again.
      // (set_config in the inbox statement: one round trip fewer than a SET LOCAL of its own.)
      const inserted = await em.getConnection().execute<{ event_id: string }[]>(
        `with async_commit as (select set_config('synchronous_commit', 'off', true))
           insert into processed_events (event_id, handler, processed_at) select e, ?, now() from unnest(?::uuid[]) as e, async_commit
           on conflict do nothing returning event_id`,
        [handlerName, `{${events.map((event) => event.id).join(',')}}`],
        'all',
        em.getTransactionContext(),
      );
      const fresh = new Set(inserted.map((row) => row.event_id.toLowerCase()));
      // Not those already handled, nor one twice in this batch.
      const toHandle = events.filter((event) => fresh.delete(event.id.toLowerCase()));
      if (receivesBatch) {
        if (toHandle.length > 0) await handler(toHandle);
        return;
      }
      for (const event of toHandle) {
        await handler(event);
        await em.flush();
        em.clear();
      }
    });
  }
}
