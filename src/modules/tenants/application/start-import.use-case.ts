import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import type { ImportRun } from '../domain/import-run';
import { LIST_CUSTOMERS_QUEUE, type ListCustomersJob } from './import-queues';
import { ImportRepository } from './ports/import.repository';
import { isUniqueViolation } from '../../../shared/application/unique-violation';

// Starts importing a delegated admin's customers, unless an import of them is already running (then that one
// is returned): one import per delegated admin at a time, enforced by the database.
@Injectable()
export class StartImportUseCase {
  constructor(
    private readonly imports: ImportRepository,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    organizationId: string;
    delegatedAdminId: string;
    trigger: ImportRun['trigger'];
  }): Promise<{ run: ImportRun; started: boolean }> {
    const now = this.clock.now();
    const run: ImportRun = {
      id: randomUUID(),
      organizationId: input.organizationId,
      delegatedAdminId: input.delegatedAdminId,
      trigger: input.trigger,
      status: 'listing',
      total: 0,
      done: 0,
      failed: 0,
      error: null,
      startedAt: now,
      listedAt: null,
      finishedAt: null,
    };
    try {
      // Committed on its own even when started from an event handler's transaction: the listing job below runs
      // on pg-boss's own connection and must find the run.
      const existing = await this.transaction.runIndependently(async () => {
        const running = await this.imports.findUnfinishedRun(input.organizationId, input.delegatedAdminId);
        if (running) return running;
        await this.imports.createRun(run);
        return null;
      });
      if (existing) return { run: existing, started: false };
    } catch (error) {
      // Two starts at the same moment: the unique index lets one through; the other joins it.
      if (!isUniqueViolation(error)) throw error;
      const running = await this.imports.findUnfinishedRun(input.organizationId, input.delegatedAdminId);
      if (running) return { run: running, started: false };
      throw error;
    }
    // After the commit: should this process die first, the resume job re-enqueues the listing.
    await this.jobs.enqueue(LIST_CUSTOMERS_QUEUE, { organizationId: run.organizationId, runId: run.id } satisfies ListCustomersJob, {
      singletonKey: run.id,
    });
    return { run, started: true };
  }
}
