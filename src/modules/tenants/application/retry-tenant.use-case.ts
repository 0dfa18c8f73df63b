import { Injectable } from '@nestjs/common';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { READ_TENANT_QUEUE, readTenantJob } from './import-queues';
import { ImportRepository } from './ports/import.repository';
import { isUniqueViolation } from '../../../shared/application/unique-violation';

// Reads a failed tenant again, within the import that failed it (the import reopens until it is done).
@Injectable()
export class RetryTenantUseCase {
  constructor(
    private readonly imports: ImportRepository,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
  ) {}

  async execute(organizationId: string, tenantId: string): Promise<boolean> {
    let retried: string | null;
    try {
      retried = await this.transaction.run(async () => {
        const latest = await this.imports.latestRunOfTenant(organizationId, tenantId);
        if (!latest || latest.status !== 'failed') return null;
        return (await this.imports.retryTenant(organizationId, latest.runId, tenantId)) ? latest.runId : null;
      });
    } catch (error) {
      // A newer import of the same delegated admin is running: it reads this tenant anyway.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    if (!retried) return false;
    await this.jobs.enqueueMany(READ_TENANT_QUEUE, [readTenantJob(organizationId, retried, tenantId)]);
    return true;
  }
}
