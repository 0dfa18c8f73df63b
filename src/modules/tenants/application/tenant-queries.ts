import type { AppInCustomer, CustomerAccessProblemKind } from '../domain/customer-access';
import type { GdapRelationshipView, GdapStatus } from '../domain/gdap-access';

export const SORTS = ['company', 'domain', 'purchased', 'assigned', 'gdap', 'updated'] as const;
export type CustomerSort = (typeof SORTS)[number];

export interface CustomerFilter {
  search?: string;
  gdap?: GdapStatus;
  unassignedSeats?: boolean;
  failed?: boolean;
  includeRemoved?: boolean;
  // More seats assigned than purchased across the tenant's SKUs (never a tenant whose licences are not readable).
  overAssigned?: boolean;
  // Microsoft refuses Sync 365 the customer's directory for this reason.
  accessProblem?: CustomerAccessProblemKind;
  // Partner Center would not list the licences (no licence-reading GDAP role).
  licencesUnreadable?: boolean;
}

export interface CustomerListQuery extends CustomerFilter {
  sort: CustomerSort;
  descending: boolean;
  page: number;
  pageSize: number;
}

export interface CustomerRow {
  tenantId: string;
  companyName: string;
  domain: string;
  status: 'active' | 'removed';
  removedAt: Date | null;
  purchased: number | null;
  assigned: number | null;
  hasUnassignedSeats: boolean;
  // Why Partner Center would not list the licences at the latest read (no licence-reading GDAP role): purchased
  // and assigned are then null (unknown, not zero).
  licencesUnreadable: string | null;
  gdapStatus: GdapStatus;
  gdapMissingRoles: string[];
  lastError: string | null;
  licencesReadAt: Date | null;
  gdapReadAt: Date | null;
  changedAt: Date;
  // The Sync 365 app in the customer's directory (null: not known yet), and why the directory is refused.
  appStatus: AppInCustomer | null;
  appProvisionedAt: Date | null;
  accessProblem: string | null;
  accessProblemKind: CustomerAccessProblemKind | null;
}

export interface CustomerDetail extends CustomerRow {
  delegatedAdminId: string;
  relationship: string;
  gdapRelationships: GdapRelationshipView[];
}

export interface ImportProgress {
  running: boolean;
  done: number;
  total: number;
  failed: number;
  // When the organization's most recent import finished (any delegated admin), if none is running.
  lastFinishedAt: Date | null;
}

export interface FailedTenant {
  tenantId: string;
  companyName: string;
  reason: string;
}

// The overview page's numbers, of the organization's active tenants. Tenants whose licences are not readable count
// in licencesUnreadable only: never as over-assigned or as having unused seats (their counts are unknown).
export interface TenantsSummary {
  tenants: number;
  failed: number;
  licencesUnreadable: number;
  appNotSetUp: number;
  blockedByPolicy: number;
  overAssigned: number;
  overAssignedSeats: number;
  // Tenants with a SKU whose purchased seats nobody uses (the list's "Has unassigned seats"), and the seats
  // purchased beyond those assigned across their SKUs.
  withUnusedSeats: number;
  unusedSeats: number;
}

// Reads for the Customers pages, the API and CSV, always within one organization.
export abstract class TenantQueries {
  abstract list(organizationId: string, query: CustomerListQuery): Promise<{ rows: CustomerRow[]; total: number }>;
  // Keyset pages by company name (case-insensitive), then tenant id: `after` is the `next` key of the previous
  // page, so tenants added or changed between pages never repeat or push others out.
  abstract page(
    organizationId: string,
    filter: CustomerFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<{ items: CustomerRow[]; next: string[] | null }>;
  abstract detail(organizationId: string, tenantId: string): Promise<CustomerDetail | null>;
  abstract progress(organizationId: string): Promise<ImportProgress>;
  abstract failedTenants(organizationId: string): Promise<FailedTenant[]>;
  abstract summary(organizationId: string): Promise<TenantsSummary>;
  // Every customer, in batches, for the CSV export.
  abstract all(organizationId: string): AsyncIterable<CustomerRow[]>;
}
