export interface EnqueueOptions {
  // With a queue of policy 'stately': at most one waiting and one running job per key (e.g. per delegated admin).
  singletonKey?: string;
  // At most one job ever (until it is archived) for this key, whatever its state: e.g. one health check a day,
  // however many instances' crons fire.
  onceKey?: string;
  startAfterSeconds?: number;
  retryLimit?: number;
}

// Long work runs as durable jobs (pg-boss): any app instance may run them, and a killed process loses nothing.
export abstract class JobQueue {
  // Returns the job id, or null when a singleton job with the same key is already waiting.
  abstract enqueue(queue: string, data: object, options?: EnqueueOptions): Promise<string | null>;
  // Many jobs of one queue in one statement (an import enqueues a job per customer tenant).
  abstract enqueueMany(queue: string, jobs: { data: object; singletonKey?: string }[]): Promise<void>;
  // Whether a job of the queue whose singletonKey starts with the prefix is still waiting, retrying or running
  // (a running job whose process died stops counting once it misses its heartbeats).
  abstract hasUnfinished(queue: string, singletonKeyPrefix: string): Promise<boolean>;
}
