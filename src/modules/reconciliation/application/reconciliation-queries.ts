import { DomainError } from '../../../shared/domain/domain-error';
import type { Discrepancy, DiscrepancyKind, ExclusionRule, LicensingChangeKind, SkuPicture, SubscriptionPicture } from '../domain';
import type { KeysetPage } from '../../licensing';

// Read models of the licensing reconciliation for the Licensing tab, its CSV exports and the API. Every method takes
// the organization first and sees only that organization's rows.

export interface ReconciliationRunView {
  id: string;
  delegatedAdminId: string;
  // What started it: 'schedule', 'manual' ("Run the reconciliation now"), 'consent' (the first import of an account), 'retry'.
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  tenantsRead: number;
  tenantsFailed: number;
  changes: number;
  openDiscrepancies: number;
  silencedDiscrepancies: number;
  error: string | null;
}

export interface DiscrepancyQuery {
  kind?: DiscrepancyKind;
  // Part of a company name, or a whole tenant id.
  tenant?: string;
  tenantId?: string;
  // Open ones only unless asked (a silenced one carries the exclusion that silenced it).
  includeSilenced?: boolean;
  // At most this many items (default 200); counts and totals are never limited.
  limit?: number;
}

// A discrepancy as the run found it, with the tenant's name and what silenced it, if anything.
// The changes feed: those that occurred at or after `since`, or those of one run; optionally of one tenant or kind.
export interface ChangeFeedQuery {
  since?: Date;
  runId?: string;
  tenantId?: string;
  kind?: LicensingChangeKind;
}

export interface DiscrepancyView extends Discrepancy {
  runId: string;
  companyName: string;
  silencedBy: { exclusionId: string; reason: string | null } | null;
}

export interface DiscrepanciesView {
  items: DiscrepancyView[];
  // How many items match the query (before `limit`).
  total: number;
  // Open discrepancies per kind that match the query's tenant (not its kind), in DISCREPANCY_KINDS order,
  // kinds without any left out: what the kind filter offers.
  countsByKind: { kind: DiscrepancyKind; count: number }[];
  // Discrepancies an exclusion silenced, matching the query's tenant.
  silenced: number;
}

export interface LicensingChangeView {
  id: string;
  runId: string;
  kind: LicensingChangeKind;
  tenantId: string;
  companyName: string;
  skuId: string | null;
  subscriptionId: string | null;
  before: string | null;
  after: string | null;
  delta: number | null;
  summary: string;
  occurredAt: Date;
}

export interface ReconciliationTenantView {
  tenantId: string;
  companyName: string;
  // The latest run that listed the tenant.
  lastRunId: string;
  lastRunAt: Date;
  read: boolean;
  failureReason: string | null;
  // Why its licences could not be listed in that run (no licence-reading GDAP role); its subscriptions were read.
  licencesUnreadable?: string | null;
}

// One run's figures for a tenant (the chart's points), oldest run first.
export interface TenantHistoryPoint {
  runId: string;
  at: Date;
  read: boolean;
  purchased: number;
  assigned: number;
  skus: { skuId: string; skuPartNumber: string; productName: string; free: boolean; purchased: number; assigned: number }[];
}

// A month as snapshots name it: 'YYYY-MM'.
export const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
const MONTH = new RegExp(MONTH_PATTERN);
export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

// A run, or the month-end snapshot of a month ('2026-11': the last run of that month of each delegated admin).
export type SnapshotScope = ({ runId: string } | { month: string }) & { tenantId?: string };

// A tenant × SKU as a run's snapshot kept it, with its run and tenant.
export interface LicenceSnapshotRow extends SkuPicture {
  runId: string;
  snapshotAt: Date;
  tenantId: string;
  companyName: string;
  // false: the run could not read the tenant; the figures are its last known ones.
  tenantRead: boolean;
  partnerCenterQuantity: number | null;
}

// A subscription as a run's snapshot kept it, with its run and tenant.
export interface SubscriptionSnapshotRow extends SubscriptionPicture {
  runId: string;
  snapshotAt: Date;
  tenantId: string;
  companyName: string;
}

export interface MonthEndView {
  month: string;
  frozenAt: Date;
  runs: { runId: string; delegatedAdminId: string; finishedAt: Date }[];
}

export interface ExclusionView {
  id: string;
  tenantId: string | null;
  // The tenant's latest name; null for an exclusion of every tenant (or a tenant no run lists any more).
  companyName: string | null;
  skuId: string | null;
  productName: string | null;
  rule: ExclusionRule;
  spare: number | null;
  reason: string;
  createdAt: Date;
  createdByName: string;
  // Discrepancies it silences in the latest runs.
  silencing: number;
}

export interface ProductView {
  skuId: string;
  skuPartNumber: string;
  productName: string;
  free: boolean;
}

// What an exclusion can name: the tenants and products of the latest runs, by name.
export interface ExclusionChoicesView {
  tenants: { tenantId: string; companyName: string }[];
  products: ProductView[];
}

export interface ReconciliationScheduleView {
  timeZone: string;
  // 'HH:mm' on the organization's wall clock.
  runAt: string;
}

export const DEFAULT_SCHEDULE: ReconciliationScheduleView = { timeZone: 'UTC', runAt: '02:00' };

// The read side, one port per read model (each has its Postgres*Queries class). Keyset pages serve the partner API:
// `after` is the `next` key of the previous page, so rows added meanwhile never repeat or push others out.

// The runs, and the schedule they follow.
export abstract class RunQueries {
  // The latest run of each delegated admin, newest first.
  abstract latestRuns(organizationId: string): Promise<ReconciliationRunView[]>;
  // Newest first.
  abstract runs(organizationId: string, limit: number): Promise<ReconciliationRunView[]>;
  abstract run(organizationId: string, runId: string): Promise<ReconciliationRunView | null>;
  // Newest first (finished, then id).
  abstract runPage(organizationId: string, after: readonly string[] | null, limit: number): Promise<KeysetPage<ReconciliationRunView>>;
  // DEFAULT_SCHEDULE until the organization sets its own.
  abstract schedule(organizationId: string): Promise<ReconciliationScheduleView>;
}

// Of the latest run of each delegated admin: what is wrong now.
export abstract class DiscrepancyQueries {
  abstract latestDiscrepancies(organizationId: string, query?: DiscrepancyQuery): Promise<DiscrepanciesView>;
  // By discrepancy key (kind, tenant, SKU, subscription), then run.
  abstract discrepancyPage(
    organizationId: string,
    query: Pick<DiscrepancyQuery, 'kind' | 'tenantId' | 'includeSilenced'>,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<DiscrepancyView>>;
}

// What changed since the previous runs.
export abstract class ChangeQueries {
  // Newest first.
  abstract recentChanges(organizationId: string, limit: number): Promise<LicensingChangeView[]>;
  abstract tenantChanges(organizationId: string, tenantId: string, limit: number): Promise<LicensingChangeView[]>;
  // Oldest first (occurred, then id): a feed to follow.
  abstract changePage(
    organizationId: string,
    query: ChangeFeedQuery,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicensingChangeView>>;
}

export abstract class MonthEndQueries {
  // Newest month first.
  abstract monthEnds(organizationId: string): Promise<MonthEndView[]>;
  abstract monthEnd(organizationId: string, month: string): Promise<MonthEndView | null>;
}

// What the runs saw: tenants, their seat history, the snapshot rows, products.
export abstract class SnapshotQueries {
  // Null when no run of the organization listed the tenant.
  abstract tenant(organizationId: string, tenantId: string): Promise<ReconciliationTenantView | null>;
  // The last `limit` runs that listed the tenant, oldest first.
  abstract tenantHistory(organizationId: string, tenantId: string, limit: number): Promise<TenantHistoryPoint[]>;
  // Batches by company name, then tenant, then product: a CSV export streams them.
  abstract licenceRows(organizationId: string, scope: SnapshotScope): AsyncIterable<LicenceSnapshotRow[]>;
  abstract subscriptionRows(organizationId: string, scope: SnapshotScope): AsyncIterable<SubscriptionSnapshotRow[]>;
  // In the CSV export's order: company name, tenant, product, SKU, run.
  abstract licenceRowPage(
    organizationId: string,
    scope: SnapshotScope,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicenceSnapshotRow>>;
  // How the latest snapshot that holds the SKU names it; null when no run saw it.
  abstract product(organizationId: string, skuId: string): Promise<ProductView | null>;
}

export abstract class ExclusionQueries {
  abstract exclusions(organizationId: string): Promise<ExclusionView[]>;
  abstract exclusionChoices(organizationId: string): Promise<ExclusionChoicesView>;
}

export class ReconciliationRunNotFoundError extends DomainError {
  readonly code = 'LICENSING.RUN_NOT_FOUND';
  constructor() {
    super('There is no reconciliation run at this address.', 'Go back to the Licensing tab and pick a run from the list.');
  }
}

export class MonthEndNotFoundError extends DomainError {
  readonly code = 'LICENSING.MONTH_END_NOT_FOUND';
  constructor(month: string) {
    super(
      `There is no month-end snapshot for “${month}”.`,
      'A month’s snapshot is kept by the first run after the month ends. Pick a month from the list on the Licensing tab.',
    );
  }
}

export class LicensingTenantNotFoundError extends DomainError {
  readonly code = 'LICENSING.TENANT_NOT_FOUND';
  constructor() {
    super(
      'No reconciliation run has read this customer tenant.',
      'Pick a tenant from the Licensing tab; a new customer appears after the next run.',
    );
  }
}
