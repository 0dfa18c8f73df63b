import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { ReconsentRequiredError } from '../../consent';
import { PartnerCenterDirectory } from '../../partner-center';
import { CUSTOMER_LIST_READ, CUSTOMER_LIST_REFUSED, type CustomerListPayload } from '../events';
import { importFailureReason } from './import-failure-reasons';
import { READ_TENANT_QUEUE, readTenantJob, type ListCustomersJob } from './import-queues';
import { announceImportFinished } from './import-finished';
import { ImportRepository } from './ports/import.repository';

// The first step of an import: Partner Center's customer list, page by page (streamed: a page is recorded and
// its tenants queued before the next page is read), then tenants that are gone are marked removed.
@Injectable()
export class ListCustomersUseCase {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly directory: PartnerCenterDirectory,
    private readonly imports: ImportRepository,
    private readonly jobs: JobQueue,
    private readonly outbox: EventOutbox,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(job: ListCustomersJob): Promise<void> {
    const run = await this.imports.findRun(job.organizationId, job.runId);
    if (!run || run.status !== 'listing') return;
    try {
      for await (const page of this.directory.customerPages(run.organizationId, run.delegatedAdminId)) {
        const added = await this.transaction.run(() => this.imports.recordListedCustomers(run, page, this.clock.now()));
        await this.jobs.enqueueMany(
          READ_TENANT_QUEUE,
          added.map((tenantId) => readTenantJob(run.organizationId, run.id, tenantId)),
        );
      }
      await this.transaction.run(async () => {
        if (await this.imports.finishListing(run, this.clock.now()))
          await announceImportFinished(this.imports, this.outbox, run.organizationId, run.id, this.clock.now());
        this.outbox.publish(
          integrationEvent<CustomerListPayload>(
            CUSTOMER_LIST_READ,
            run.organizationId,
            { importRunId: run.id, delegatedAdminId: run.delegatedAdminId, importStartedAt: run.startedAt.toISOString() },
            this.clock.now(),
          ),
        );
      });
    } catch (error) {
      const reason = importFailureReason(error);
      // Anything else is transient or a bug: the job fails and pg-boss retries it (the listing is idempotent).
      if (reason === null || (error as { code?: string }).code === 'MICROSOFT.UNAVAILABLE') throw error;
      this.logger.warn({ runId: run.id, organizationId: run.organizationId }, 'Import stopped: the customer list could not be read');
      await this.transaction.run(async () => {
        if (await this.imports.failRun(run, reason, this.clock.now()))
          await announceImportFinished(this.imports, this.outbox, run.organizationId, run.id, this.clock.now());
        this.outbox.publish(
          integrationEvent<CustomerListPayload>(
            CUSTOMER_LIST_REFUSED,
            run.organizationId,
            {
              importRunId: run.id,
              delegatedAdminId: run.delegatedAdminId,
              importStartedAt: run.startedAt.toISOString(),
              reason,
              consentRefused: error instanceof ReconsentRequiredError,
            },
            this.clock.now(),
          ),
        );
      });
    }
  }
}
