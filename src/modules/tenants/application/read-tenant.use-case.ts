import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { JobQueue } from '../../../shared/application/job-queue';
import { Transaction } from '../../../shared/application/transaction';
import { MicrosoftUnavailableError } from '../../../shared/domain/microsoft-unavailable.error';
import { AuditTrail } from '../../audit';
import { CustomerAppProvisioning, PartnerCenterDirectory, type TenantLicencesSnapshot } from '../../partner-center';
import { TENANT_LICENCES_READ, type TenantLicencesReadPayload } from '../events';
import type { CustomerAccess } from '../domain/customer-access';
import { evaluateGdap, type GdapEvaluation } from '../domain/gdap-access';
import { isRunning } from '../domain/import-run';
import { importFailureReason, UNEXPECTED_READ_FAILURE } from './import-failure-reasons';
import { READ_ATTEMPTS, READ_TENANT_QUEUE, THROTTLED_LIMIT_MS, THROTTLED_WAIT_SECONDS, type ReadTenantJob } from './import-queues';
import { announceImportFinished } from './import-finished';
import { ImportRepository } from './ports/import.repository';
import { TenantQueries } from './tenant-queries';

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
    private readonly provisioning: CustomerAppProvisioning,
    private readonly audit: AuditTrail,
    private readonly tenants: TenantQueries,
  ) {}

  async execute(job: ReadTenantJob): Promise<void> {
    const found = await this.imports.findRunTenant(job.organizationId, job.runId, job.tenantId);
    if (!found || !isRunning(found.run) || found.tenantStatus !== 'pending') return;
    const run = found.run;

    // GDAP access is read at the same time as the licences (independent reads); a failure of its own only leaves the
    // GDAP status "Not checked" until the next import.
    const gdapRead: Promise<GdapEvaluation | null> = this.directory
      .gdapAccess(run.organizationId, run.delegatedAdminId, job.tenantId)
      .then(evaluateGdap)
      .catch((error: unknown) => {
        if (importFailureReason(error) === null)
          this.logger.error({ err: error, runId: run.id, tenantId: job.tenantId }, 'Unexpected error reading GDAP access');
        return null;
      });
    let licences: TenantLicencesSnapshot;
    try {
      licences = await this.directory.tenantLicences(run.organizationId, run.delegatedAdminId, job.tenantId);
    } catch (error) {
      // The GDAP read finishes before the tenant is rescheduled or failed: nothing keeps running after this job.
      await gdapRead;
      // Still throttled after the client's own waits: Microsoft asked us to wait, so the tenant waits — as often as
      // it takes (a tenant fails only for a reason of its own). Unavailable otherwise (5xx, no answer, an answer cut
      // off): read again a little later, a few times, before it counts as failed.
      const attempt = job.attempt ?? 1;
      const throttledSince =
        error instanceof MicrosoftUnavailableError && error.throttled ? (job.throttledSince ?? this.clock.now().toISOString()) : undefined;
      const waitedTooLong = throttledSince !== undefined && this.clock.now().getTime() - Date.parse(throttledSince) >= THROTTLED_LIMIT_MS;
      if (error instanceof MicrosoftUnavailableError && !waitedTooLong && (error.throttled || attempt < READ_ATTEMPTS)) {
        const next: ReadTenantJob = { ...job, attempt: error.throttled ? attempt : attempt + 1, throttledSince };
        const waitSeconds = error.throttled ? (error.throttled.retryAfterSeconds ?? THROTTLED_WAIT_SECONDS) : 2 * attempt;
        // Refused only when a job for this tenant is already waiting (queued again by the resume): that job reads it.
        await this.jobs.enqueue(READ_TENANT_QUEUE, next, {
          singletonKey: `${job.runId}:${job.tenantId}`,
          startAfterSeconds: Math.ceil(waitSeconds),
        });
        return;
      }
      const reason = waitedTooLong
        ? `Microsoft kept asking Sync 365 to wait (throttling) for more than ${THROTTLED_LIMIT_MS / 3_600_000} hours, so this tenant was not read in this import. It is read again at the next import; select Retry to read it sooner.`
        : importFailureReason(error);
      if (reason === null) this.logger.error({ err: error, runId: run.id, tenantId: job.tenantId }, 'Unexpected error reading a tenant');
      await this.transaction.run(async () => {
        const now = this.clock.now();
        if (await this.imports.markFailed(run.organizationId, run.id, job.tenantId, reason ?? UNEXPECTED_READ_FAILURE, now))
          await announceImportFinished(this.imports, this.outbox, run.organizationId, run.id, now);
      });
      return;
    }

    const provisioned = await this.provisionWhereMissing(run, job.tenantId, licences);
    licences = provisioned.licences;

    const gdap = await gdapRead;

    const now = this.clock.now();
    // Sync 365 changed something in the customer's directory: that belongs in the organization's audit log.
    const companyName = provisioned.access.provisionedAt
      ? ((await this.tenants.detail(run.organizationId, job.tenantId))?.companyName ?? job.tenantId)
      : null;
    const event = integrationEvent<TenantLicencesReadPayload>(
      TENANT_LICENCES_READ,
      run.organizationId,
      {
        importRunId: run.id,
        delegatedAdminId: run.delegatedAdminId,
        tenantId: job.tenantId,
        readAt: now.toISOString(),
        skus: 'skus' in licences.licences ? licences.licences.skus : [],
        licences: licences.licences,
        subscriptions: licences.subscriptions,
        directory: licences.directory,
      },
      now,
    );
    // A job taken for dead while it was still reading (a stalled process missing its heartbeats) may have been read
    // again meanwhile: only the first read to finish is recorded, published and audited.
    const record = () => this.imports.recordRead(run.id, run.organizationId, job.tenantId, gdap, provisioned.access, now, event);
    // Nothing to audit (the app was not provisioned): recordRead is atomic on its own (one statement in Postgres).
    if (companyName === null) {
      await record();
      return;
    }
    // The audit entry commits with the read (the trail writes in the caller's transaction), or not at all.
    await this.transaction.run(async () => {
      if (await record())
        this.audit.record({
          organizationId: run.organizationId,
          actorUserId: null,
          actorName: 'Sync 365',
          action: 'tenants.app-provisioned',
          subject: companyName,
          outcome: 'success',
          detail: 'Added the Sync 365 app to this customer’s directory through Partner Center, so Sync 365 can read it through GDAP.',
        });
    });
  }

  // Microsoft refused Sync 365 the customer's directory because the app is not provisioned there (AADSTS65001,
  // FACTS.md §7a.2): provision it through Partner Center applicationconsents and read the tenant again. Detected
  // from that refusal rather than by listing applicationconsents for every tenant: an import of thousands of
  // tenants where the app is present costs no extra request, and the refusal is the authority (a consent Partner
  // Center lists could still be unusable). Partner Center's licences are kept whatever happens here: only the
  // Graph side depends on the app.
  private async provisionWhereMissing(
    run: { organizationId: string; delegatedAdminId: string },
    tenantId: string,
    licences: TenantLicencesSnapshot,
  ): Promise<{ licences: TenantLicencesSnapshot; access: CustomerAccess }> {
    const directory = licences.directory;
    if ('subscriptions' in directory)
      return { licences, access: { app: 'present', provisionedAt: null, problem: null, problemKind: null } };
    switch (directory.refusedBy) {
      case undefined:
        // A token was issued (the read itself was refused, e.g. no directory role): the app is there.
        return { licences, access: { app: 'present', provisionedAt: null, problem: null, problemKind: null } };
      case 'no_gdap':
        // Without GDAP nothing is known about the app; the GDAP status says what to fix.
        return { licences, access: { app: null, provisionedAt: null, problem: null, problemKind: null } };
      case 'conditional_access':
        // Which check Entra makes first is not documented, so this says nothing about the app.
        return { licences, access: { app: null, provisionedAt: null, problem: directory.unreadable, problemKind: 'conditional_access' } };
      case 'app_not_provisioned':
        break;
    }

    let result;
    try {
      result = await this.provisioning.provision(run.organizationId, run.delegatedAdminId, tenantId);
    } catch (error) {
      // Partner Center unavailable (or the consent no longer works): the licences stay; the next import tries again.
      const reason = importFailureReason(error);
      if (reason === null) this.logger.error({ err: error, tenantId }, 'Unexpected error provisioning the app in a customer');
      const problem = `Sync 365 is not set up in this customer yet, and adding it through Partner Center failed: ${reason ?? 'an unexpected error.'} It is tried again at the next import.`;
      return { licences, access: { app: 'missing', provisionedAt: null, problem, problemKind: 'app_not_provisioned' } };
    }
    if (result.outcome === 'refused') {
      return {
        licences: { ...licences, directory: { unreadable: result.reason, refusedBy: 'app_not_provisioned' } },
        access: { app: 'missing', provisionedAt: null, problem: result.reason, problemKind: 'app_not_provisioned' },
      };
    }

    const provisionedAt = result.outcome === 'provisioned' ? this.clock.now() : null;
    const app = result.outcome === 'provisioned' ? 'provisioned' : 'present';
    let reread = licences;
    try {
      reread = await this.directory.tenantLicences(run.organizationId, run.delegatedAdminId, tenantId);
    } catch (error) {
      if (importFailureReason(error) === null)
        this.logger.error({ err: error, tenantId }, 'Unexpected error reading a tenant after provisioning the app');
    }
    const after = reread.directory;
    if ('subscriptions' in after || after.refusedBy === undefined || after.refusedBy === 'no_gdap')
      return { licences: reread, access: { app, provisionedAt, problem: null, problemKind: null } };
    if (after.refusedBy === 'conditional_access')
      return { licences: reread, access: { app, provisionedAt, problem: after.unreadable, problemKind: 'conditional_access' } };
    // Microsoft can take a while to apply a new consent in the customer's directory (undocumented how long).
    const problem =
      result.outcome === 'provisioned'
        ? 'Sync 365 was added to this customer just now, but Microsoft does not let it in yet; this can take a few minutes. The customer’s directory is read again at the next import (or select Re-read all customers from Microsoft).'
        : 'Partner Center says Sync 365 is already set up in this customer, but Microsoft still refuses it (AADSTS65001). In the customer’s Microsoft Entra admin center, check that the Sync 365 enterprise application is enabled for users, then select Re-read all customers from Microsoft.';
    return {
      licences: { ...reread, directory: { unreadable: problem, refusedBy: 'app_not_provisioned' } },
      access: { app, provisionedAt, problem, problemKind: 'app_not_provisioned' },
    };
  }
}
