import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { PartnerCenterDirectory, type TenantLicencesSnapshot } from '../../partner-center';
import { TENANT_LICENCES_READ, type TenantLicencesReadPayload } from '../contracts/tenant-events';
import { evaluateGdap, type GdapEvaluation } from '../domain/gdap-access';
import { isRunning } from '../domain/import-run';
import { importFailureReason, UNEXPECTED_READ_FAILURE } from './import-failure-reasons';
import { READ_ATTEMPTS, READ_TENANT_QUEUE, type ReadTenantJob } from './import-queues';
import { announceImportFinished } from './import-finished';
import { ImportRepository } from './ports/import.repository';

// Reads one customer tenant of an import: its licences and subscriptions, Partner Center's and its directory's
// (handed to the licensing module by an event), and its GDAP access. A tenant that cannot be read is marked
// failed with the reason — never skipped.
@Injectable()
export class ReadTenantUseCase {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly directory: PartnerCenterDirectory,
    private readonly imports: ImportRepository,
    private readonly outbox: EventOutbox,
    private readonly jobs: JobQueue,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(job: ReadTenantJob): Promise<void> {
    const run = await this.imports.findRun(job.organizationId, job.runId);
    if (!run || !isRunning(run) || (await this.imports.runTenantStatus(run.id, job.tenantId)) !== 'pending') return;

    let licences: TenantLicencesSnapshot;
    try {
      licences = await this.directory.tenantLicences(run.organizationId, run.delegatedAdminId, job.tenantId);
    } catch (error) {
      // Throttled or unavailable even after the client's own retries: try this tenant again a little later
      // rather than fail it during a passing storm.
      const attempt = job.attempt ?? 1;
      if ((error as { code?: string }).code === 'MICROSOFT.UNAVAILABLE' && attempt < READ_ATTEMPTS) {
        const queued = await this.jobs.enqueue(READ_TENANT_QUEUE, { ...job, attempt: attempt + 1 } satisfies ReadTenantJob, { singletonKey: `${job.runId}:${job.tenantId}`, startAfterSeconds: 2 * attempt });
        if (queued) return;
      }
      const reason = importFailureReason(error);
      if (reason === null) this.logger.error({ err: error, runId: run.id, tenantId: job.tenantId }, 'Unexpected error reading a tenant');
      await this.transaction.run(async () => {
        const now = this.clock.now();
        if (await this.imports.markFailed(run.organizationId, run.id, job.tenantId, reason ?? UNEXPECTED_READ_FAILURE, now)) await announceImportFinished(this.imports, this.outbox, run.organizationId, run.id, now);
      });
      return;
    }

    let gdap: GdapEvaluation | null = null;
    try {
      gdap = evaluateGdap(await this.directory.gdapAccess(run.organizationId, run.delegatedAdminId, job.tenantId));
    } catch (error) {
      // Licences were read; the GDAP status shows "Not checked" until the next import.
      if (importFailureReason(error) === null) this.logger.error({ err: error, runId: run.id, tenantId: job.tenantId }, 'Unexpected error reading GDAP access');
    }

    const now = this.clock.now();
    await this.transaction.run(async () => {
      if (gdap) await this.imports.recordGdap(run.organizationId, job.tenantId, gdap, now);
      else await this.imports.recordGdapUnreadable(run.organizationId, job.tenantId, now);
      await this.imports.markRecording(run.id, job.tenantId);
      this.outbox.publish(
        integrationEvent<TenantLicencesReadPayload>(TENANT_LICENCES_READ, run.organizationId, { importRunId: run.id, delegatedAdminId: run.delegatedAdminId, tenantId: job.tenantId, readAt: now.toISOString(), skus: 'skus' in licences.licences ? licences.licences.skus : [], licences: licences.licences, subscriptions: licences.subscriptions, directory: licences.directory }, now),
      );
    });
  }
}
