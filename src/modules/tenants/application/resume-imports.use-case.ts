import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { LIST_CUSTOMERS_QUEUE, READ_TENANT_QUEUE, readTenantJob, type ListCustomersJob } from './import-queues';
import { ImportRepository } from './ports/import.repository';

// An unfinished import without progress for this long may have lost its process (killed, crashed between a
// commit and an enqueue): its remaining work is queued again. Doing work twice is harmless — every step checks
// the tenant's state first — and the queue's singleton keys keep waiting duplicates out.
export const STALE_AFTER_MS = 2 * 60 * 1000;

@Injectable()
export class ResumeImportsUseCase {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly imports: ImportRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  // `all` also resumes runs that made progress recently (at start-up, when this instance's jobs died with it).
  async execute(options: { staleAfterMs?: number } = {}): Promise<number> {
    const now = this.clock.now();
    const runs = await this.imports.staleRuns(new Date(now.getTime() - (options.staleAfterMs ?? STALE_AFTER_MS)));
    for (const run of runs) {
      if (run.status === 'listing') {
        await this.jobs.enqueue(LIST_CUSTOMERS_QUEUE, { organizationId: run.organizationId, runId: run.id } satisfies ListCustomersJob, { singletonKey: run.id });
      } else {
        const pending = await this.imports.pendingTenants(run.id);
        await this.jobs.enqueueMany(READ_TENANT_QUEUE, pending.map((tenantId) => readTenantJob(run.organizationId, run.id, tenantId)));
      }
      await this.imports.heartbeat(run.id, now);
      this.logger.log({ runId: run.id, status: run.status }, 'Resumed an unfinished import');
    }
    return runs.length;
  }
}
