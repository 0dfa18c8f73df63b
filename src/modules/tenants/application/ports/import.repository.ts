import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import type { CustomerSummary } from '../../../partner-center';
import type { CustomerAccess } from '../../domain/customer-access';
import type { GdapEvaluation } from '../../domain/gdap-access';
import type { ImportRun } from '../../domain/import-run';
import type { ImportFinishedPayload } from '../../events';

export interface LicenceTotals {
  purchased: number;
  assigned: number;
  hasUnassignedSeats: boolean;
  // Why Partner Center would not list the licences (no licence-reading GDAP role): the totals are then unknown.
  licencesUnreadable?: string | null;
}

export type RunTenantStatus = 'pending' | 'recording' | 'done' | 'failed';

// Import bookkeeping and the customer-tenant writes an import makes. Writes join the caller's transaction and
// change a customer row only when what Microsoft says about it changed.
export abstract class ImportRepository {
  abstract createRun(run: ImportRun): Promise<void>;
  abstract findRun(organizationId: string, runId: string): Promise<ImportRun | null>;
  abstract findUnfinishedRun(organizationId: string, delegatedAdminId: string): Promise<ImportRun | null>;
  abstract latestRuns(organizationId: string): Promise<ImportRun[]>;
  // Unfinished runs (any organization) without progress since `before`: their process may have died.
  abstract staleRuns(before: Date): Promise<ImportRun[]>;
  abstract heartbeat(runId: string, now: Date): Promise<void>;

  // Records one page of Partner Center's customer list: customer rows upserted, the run's tenants added.
  // Returns the tenants this page added to the run.
  abstract recordListedCustomers(run: ImportRun, customers: CustomerSummary[], now: Date): Promise<string[]>;
  // The list is complete: tenants of this delegated admin not in it are marked removed.
  // These four return true when the call finished the run (the last tenant, or a failed listing).
  abstract finishListing(run: ImportRun, now: Date): Promise<boolean>;
  abstract failRun(run: ImportRun, reason: string, now: Date): Promise<boolean>;
  abstract pendingTenants(runId: string): Promise<string[]>;

  abstract runTenantStatus(runId: string, tenantId: string): Promise<RunTenantStatus | null>;
  // The run and one of its tenants' status at once (a tenant's read starts with both): one statement where the store
  // can, so the read's Microsoft calls start one database round trip sooner.
  async findRunTenant(
    organizationId: string,
    runId: string,
    tenantId: string,
  ): Promise<{ run: ImportRun; tenantStatus: RunTenantStatus | null } | null> {
    const run = await this.findRun(organizationId, runId);
    return run ? { run, tenantStatus: await this.runTenantStatus(run.id, tenantId) } : null;
  }
  abstract markFailed(organizationId: string, runId: string, tenantId: string, reason: string, now: Date): Promise<boolean>;
  // What a finished run covered, tenant by tenant, for the tenants.import-finished event.
  abstract finishedRunReport(organizationId: string, runId: string): Promise<ImportFinishedPayload | null>;
  // Puts a failed tenant of a run back to pending (Retry); false when it was not failed.
  abstract retryTenant(organizationId: string, runId: string, tenantId: string): Promise<boolean>;

  // A tenant's read is recorded with its integration event, atomically: it turns to recording, then its GDAP access
  // (null: unreadable), customer access and the event's outbox row. False, with nothing written or published, when it
  // was no longer pending: another read of it (a retried job) got there first. Joins the caller's transaction.
  abstract recordRead(
    runId: string,
    organizationId: string,
    tenantId: string,
    gdap: GdapEvaluation | null,
    access: CustomerAccess,
    now: Date,
    event: IntegrationEvent<object>,
  ): Promise<boolean>;
  // Tenants whose licences are recorded: each one's totals, and it counts as done in its run (one no longer pending or
  // recording is left as it is). Returns the runs this finished, each once. The last step of every tenant's read, for
  // several tenants at once: their runs' counters written once each.
  abstract recordTotalsAndMarkDone(
    tenants: readonly CompletedTenantRead[],
    now: Date,
  ): Promise<{ organizationId: string; runId: string }[]>;
  abstract latestRunOfTenant(organizationId: string, tenantId: string): Promise<{ runId: string; status: RunTenantStatus } | null>;
}

export interface CompletedTenantRead {
  organizationId: string;
  runId: string;
  tenantId: string;
  totals: LicenceTotals;
}
