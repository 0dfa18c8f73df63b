export interface EnqueueOptions {
  // With a queue of policy 'stately': at most one waiting and one running job per key (e.g. per delegated admin).
  singletonKey?: string;
  startAfterSeconds?: number;
  retryLimit?: number;
}

// Long work runs as durable jobs (pg-boss): any app instance may run them, and a killed process loses nothing.
export abstract class JobQueue {
  // Returns the job id, or null when a singleton job with the same key is already waiting.
  abstract enqueue(queue: string, data: object, options?: EnqueueOptions): Promise<string | null>;
}
