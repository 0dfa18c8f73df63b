import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { JobQueue } from '../../../../shared/application/job-queue';
import { JobWorker, OnIntegrationEvent } from '../../../../shared/interface/jobs/job-handlers';
import { CONSENT_GRANTED, type ConsentGrantedPayload } from '../../../consent/events';
import { LICENCES_RECORDED, type LicencesRecordedPayload } from '../../../licensing/events';
import { RECONCILIATION_DUE, type ReconciliationDuePayload } from '../../../reconciliation/events';
import { CompleteTenantReadUseCase } from '../../application/complete-tenant-read.use-case';
import {
  LIST_CUSTOMERS_QUEUE,
  READ_TENANT_QUEUE,
  RESUME_IMPORTS_QUEUE,
  type ListCustomersJob,
  IMPORT_EVENT_BATCH_SIZE,
  type ReadTenantJob,
} from '../../application/import-queues';
import { ListCustomersUseCase } from '../../application/list-customers.use-case';
import { ReadTenantUseCase } from '../../application/read-tenant.use-case';
import { ResumeImportsUseCase } from '../../application/resume-imports.use-case';
import { StartImportUseCase } from '../../application/start-import.use-case';
import { StartOrganizationImportUseCase } from '../../application/start-organization-import.use-case';

// The import's jobs and event handlers: each one calls a single use case.
@Injectable()
export class ImportJobs implements OnApplicationBootstrap {
  constructor(
    private readonly startImport: StartImportUseCase,
    private readonly startOrganizationImport: StartOrganizationImportUseCase,
    private readonly listCustomers: ListCustomersUseCase,
    private readonly readTenant: ReadTenantUseCase,
    private readonly completeTenantRead: CompleteTenantReadUseCase,
    private readonly resumeImports: ResumeImportsUseCase,
    private readonly jobs: JobQueue,
  ) {}

  @OnIntegrationEvent(CONSENT_GRANTED)
  async onConsentGranted(event: IntegrationEvent<ConsentGrantedPayload>): Promise<void> {
    await this.startImport.execute({
      organizationId: event.organizationId,
      delegatedAdminId: event.payload.delegatedAdminId,
      trigger: 'consent',
    });
  }

  // The licensing reconciliation re-reads every tenant: an import of each usable delegated admin (one already
  // running counts; its end is the run's end).
  @OnIntegrationEvent(RECONCILIATION_DUE)
  async onReconciliationDue(event: IntegrationEvent<ReconciliationDuePayload>): Promise<void> {
    await this.startOrganizationImport.execute(event.organizationId, undefined, event.payload.trigger);
  }

  // In batches (IMPORT_EVENT_BATCH_SIZE) taken whole: one fetch, one statement (the run's counter locked once, just
  // before the commit) and one commit for many tenants; two workers, so one fetches while the other commits.
  @OnIntegrationEvent(LICENCES_RECORDED, {
    concurrency: 2,
    batchSize: IMPORT_EVENT_BATCH_SIZE,
    receivesBatch: true,
  })
  async onLicencesRecorded(events: IntegrationEvent<LicencesRecordedPayload>[]): Promise<void> {
    await this.completeTenantRead.execute(events.map((event) => ({ organizationId: event.organizationId, ...event.payload })));
  }

  // Both beat while they run: a read may wait minutes on Microsoft's throttling and is still alive; one whose
  // process died is retried within a minute.
  @JobWorker({ queue: LIST_CUSTOMERS_QUEUE, policy: 'stately', retryLimit: 5, expireInSeconds: 60 * 60, heartbeatSeconds: 10 })
  async list(job: ListCustomersJob): Promise<void> {
    await this.listCustomers.execute(job);
  }

  // Bounded per instance by IMPORT_CONCURRENCY; every instance takes its share of the queue. Microsoft sees at most
  // MICROSOFT_CONCURRENCY_PER_LIMIT requests per limit key of them at once (the partner-center module's limiter).
  @JobWorker({
    queue: READ_TENANT_QUEUE,
    policy: 'stately',
    concurrency: (config) => config.importConcurrency,
    retryLimit: 3,
    expireInSeconds: 15 * 60,
    heartbeatSeconds: 10,
  })
  async read(job: ReadTenantJob): Promise<void> {
    await this.readTenant.execute(job);
  }

  // Every minute, any instance may pick up imports whose process died; the job's singleton key keeps it to one.
  @Cron('0 * * * * *', { name: 'resume-imports' })
  async enqueueResume(): Promise<void> {
    await this.jobs.enqueue(RESUME_IMPORTS_QUEUE, {}, { singletonKey: 'resume' });
  }

  @JobWorker({ queue: RESUME_IMPORTS_QUEUE, policy: 'stately', retryLimit: 0 })
  async resume(): Promise<void> {
    await this.resumeImports.execute();
  }

  // A restarted instance does not wait a minute to continue what the previous one was doing.
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.enqueue(RESUME_IMPORTS_QUEUE, {}, { singletonKey: 'resume' });
  }
}
