import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { LIST_CUSTOMERS_QUEUE, READ_TENANT_QUEUE, readTenantJob, type ListCustomersJob } from './import-queues';
import { ImportRepository } from './ports/import.repository';

// A run this young may still be queueing its first jobs.
export const RESUME_GRACE_MS = 30 * 1000;

// Picks up unfinished imports whose work is lost: no job of theirs is waiting or running any more (the process
// died between a commit and an enqueue, or a job ran out of retries). Whether an import is alive is read from
// the job queue — its jobs beat while they run, however long Microsoft makes them wait — never guessed from its
// progress. A job whose process died stops beating and pg-boss retries it by itself within a minute.
@Injectable()
export class ResumeImportsUseCase {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly imports: ImportRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    const now = this.clock.now();
    let resumed = 0;
    for (const run of await this.imports.staleRuns(new Date(now.getTime() - RESUME_GRACE_MS))) {
      const alive =
        (await this.jobs.hasUnfinished(LIST_CUSTOMERS_QUEUE, run.id)) || (await this.jobs.hasUnfinished(READ_TENANT_QUEUE, `${run.id}:`));
      if (!alive) {
        if (run.status === 'listing') {
          await this.jobs.enqueue(LIST_CUSTOMERS_QUEUE, { organizationId: run.organizationId, runId: run.id } satisfies ListCustomersJob, {
            singletonKey: run.id,
          });
        } else {
          const pending = await this.imports.pendingTenants(run.id);
          await this.jobs.enqueueMany(
            READ_TENANT_QUEUE,
            pending.map((tenantId) => readTenantJob(run.organizationId, run.id, tenantId)),
          );
        }
        this.logger.log({ runId: run.id, status: run.status }, 'Resumed an unfinished import whose jobs were lost');
        resumed++;
      }
      // Looked at now: the next look is after the grace period.
      await this.imports.heartbeat(run.id, now);
    }
    return resumed;
  }
}
