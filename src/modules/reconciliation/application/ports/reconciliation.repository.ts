import type { Discrepancy, LicensingChange, SilencedDiscrepancy, TenantPicture } from '../../domain';

export interface ReconciliationRunRecord {
  id: string;
  organizationId: string;
  delegatedAdminId: string;
  importRunId: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  tenantsRead: number;
  tenantsFailed: number;
  changes: number;
  openDiscrepancies: number;
  error: string | null;
}

export interface TenantOutcome {
  tenantId: string;
  companyName: string;
  read: boolean;
  failureReason: string | null;
}

// An open discrepancy as its closing event names it.
export type OpenDiscrepancy = Pick<Discrepancy, 'kind' | 'tenantId' | 'skuId' | 'subscriptionId' | 'title'>;

export interface RunTenant {
  tenantId: string;
  companyName: string;
}

export interface ScheduleRecord {
  organizationId: string;
  timeZone: string;
  runAt: string;
  lastScheduledOn: string | null;
}

// The reconciliation's writes and the reads it needs to compare. Every method takes the organization.
export abstract class ReconciliationRepository {
  // Holds the organization's reconciliation lock until the caller's transaction ends.
  abstract lockOrganization(organizationId: string): Promise<void>;
  abstract findByImportRun(organizationId: string, importRunId: string): Promise<ReconciliationRunRecord | null>;
  // The latest run of the delegated admin before this one (what "since the previous run" compares with).
  abstract previousRun(organizationId: string, delegatedAdminId: string): Promise<ReconciliationRunRecord | null>;
  // The tenants of a run, without their licences (a finalize plans its chunks from these).
  abstract tenantsOfRun(organizationId: string, runId: string): Promise<RunTenant[]>;
  // The run's pictures of these tenants (all of the run's when tenantIds is not given).
  abstract picturesOfRun(organizationId: string, runId: string, tenantIds?: readonly string[]): Promise<TenantPicture[]>;
  // The run's open discrepancies, by key.
  abstract openDiscrepancyKeys(organizationId: string, runId: string): Promise<Map<string, OpenDiscrepancy>>;
  abstract timeZoneOf(organizationId: string): Promise<string>;
  // A run is written in parts, in one transaction: its row, then its tenants a chunk at a time (snapshot, changes
  // with their ids returned in order, recorded as of `recordedAt`, and discrepancies), then its counts.
  abstract insertRun(run: ReconciliationRunRecord): Promise<void>;
  abstract saveTenants(
    run: ReconciliationRunRecord,
    pictures: TenantPicture[],
    changes: LicensingChange[],
    discrepancies: { open: Discrepancy[]; silenced: SilencedDiscrepancy[] },
    recordedAt: Date,
  ): Promise<string[]>;
  abstract recordCounts(run: ReconciliationRunRecord): Promise<void>;
  abstract freezeMonthEnd(organizationId: string, delegatedAdminId: string, month: string, runId: string, at: Date): Promise<void>;
  // The schedule of each of these organizations (defaults when none was set), in their order.
  abstract schedules(organizationIds: readonly string[]): Promise<ScheduleRecord[]>;
  // Marks the organization's run for `localDate` as scheduled; false when another instance already did.
  abstract claimScheduledRun(organizationId: string, localDate: string): Promise<boolean>;
}
