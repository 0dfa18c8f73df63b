import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { AppConfig } from '../../../config/app-config';

export const JOB_WORKER = 'sync365:job-worker';
export const EVENT_HANDLER = 'sync365:event-handler';

export interface JobWorkerOptions {
  queue: string;
  // How many jobs of this queue one app instance runs at once (a number, or read from the configuration).
  concurrency?: number | ((config: AppConfig) => number);
  retryLimit?: number;
  // Seconds a job may run before pg-boss considers it dead and retries it elsewhere.
  expireInSeconds?: number;
  // A running job proves it is alive every N seconds: as long as it beats it may run as long as it needs, and once
  // it stops (its process died) pg-boss retries it within about 3 × N seconds instead of waiting out
  // expireInSeconds. For jobs that can legitimately run long (waiting out Microsoft's throttling).
  heartbeatSeconds?: number;
  // 'stately': one waiting and one running job per singletonKey; 'standard' (default): no limit.
  policy?: 'standard' | 'stately' | 'singleton' | 'short';
}

// Marks a method that runs the jobs of a queue: `(data) => Promise<void>`.
export const JobWorker = (options: JobWorkerOptions) => SetMetadata(JOB_WORKER, options);

// Marks a method that handles an integration event: `(event: IntegrationEvent) => Promise<void>`. It runs inside
// a transaction with the event's inbox row, so it runs to completion once per event.
export const OnIntegrationEvent = (eventName: string, options?: EventHandlerOptions) =>
  applyDecorators(SetMetadata(EVENT_HANDLER, eventName), SetMetadata(EVENT_HANDLER_OPTIONS, options ?? {}));

export const EVENT_HANDLER_OPTIONS = 'sync365:event-handler-options';

export interface EventHandlerOptions {
  // How many events of this handler one app instance handles at once (default 1). For handlers on an import's path,
  // whose events concern different tenants: one at a time, the handler alone would bound the import.
  concurrency?: number | ((config: AppConfig) => number);
  // Up to this many waiting events taken at once by one worker (default 1) and handled one after the other in one
  // transaction: one fetch, one completion and one commit for all of them instead of one each. Each event still runs
  // once (its own inbox row) and sees what the ones before it wrote; should one fail, the batch is rolled back and
  // each event is handled again in a transaction of its own, so only the failing one is retried. For handlers that
  // receive an event per tenant of an import.
  batchSize?: number;
  // The handler takes the batch's events as one array (`(events: IntegrationEvent[]) => Promise<void>`, one event when
  // handled alone), for work cheaper done once for several events: an import's run counter, one row every tenant's
  // completion updates, is then locked once per batch, just before the commit, instead of by the first event of the
  // batch until the last one is handled.
  receivesBatch?: boolean;
}
