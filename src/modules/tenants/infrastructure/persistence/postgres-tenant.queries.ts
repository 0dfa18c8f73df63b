import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  TenantQueries,
  type CustomerDetail,
  type CustomerFilter,
  type CustomerListQuery,
  type CustomerRow,
  type FailedTenant,
  type ImportProgress,
  type TenantsSummary,
} from '../../application/tenant-queries';
import type { AppInCustomer, CustomerAccessProblemKind } from '../../domain/customer-access';
import type { GdapRelationshipView, GdapStatus } from '../../domain/gdap-access';
import { likeContaining, rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';

interface Row {
  tenant_id: string;
  company_name: string;
  domain: string;
  status: 'active' | 'removed';
  removed_at: Date | null;
  purchased: number | null;
  assigned: number | null;
  has_unassigned_seats: boolean;
  licences_unreadable: string | null;
  gdap_status: GdapStatus;
  gdap_missing_roles: string[];
  last_error: string | null;
  licences_read_at: Date | null;
  gdap_read_at: Date | null;
  changed_at: Date;
  delegated_admin_id: string;
  relationship: string;
  gdap_detail: GdapRelationshipView[] | null;
  app_status: AppInCustomer | null;
  app_provisioned_at: Date | null;
  access_problem: string | null;
  access_problem_kind: CustomerAccessProblemKind | null;
}

// Whitelisted sort expressions (never user text in SQL); the tenant id breaks ties so pages are stable.
const ORDER_BY: Record<CustomerListQuery['sort'], string> = {
  company: 'lower(company_name)',
  domain: 'lower(domain)',
  purchased: 'coalesce(purchased, -1)',
  assigned: 'coalesce(assigned, -1)',
  gdap: 'gdap_status',
  updated: 'coalesce(licences_read_at, changed_at)',
};

const COLUMNS =
  'tenant_id, company_name, domain, status, removed_at, purchased, assigned, has_unassigned_seats, licences_unreadable, gdap_status, gdap_missing_roles, last_error, licences_read_at, gdap_read_at, changed_at, app_status, app_provisioned_at, access_problem, access_problem_kind';

@Injectable()
export class PostgresTenantQueries extends TenantQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async list(organizationId: string, query: CustomerListQuery): Promise<{ rows: CustomerRow[]; total: number }> {
    const { filter, params } = whereOf(organizationId, query);
    const direction = query.descending ? 'desc' : 'asc';
    const [{ count }] = await rawSql<{ count: string }>(
      this.em,
      `select count(*)::text as count from customer_tenants where ${filter}`,
      params,
    );
    const rows = await rawSql<Row>(
      this.em,
      `select ${COLUMNS} from customer_tenants where ${filter} order by ${ORDER_BY[query.sort]} ${direction}, tenant_id limit ? offset ?`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { rows: rows.map(toCustomerRow), total: Number(count) };
  }

  async page(
    organizationId: string,
    query: CustomerFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<{ items: CustomerRow[]; next: string[] | null }> {
    const { filter, params } = whereOf(organizationId, query);
    const keyset = after ? ` and (lower(company_name), tenant_id) > (?, ?::uuid)` : '';
    // One row more than asked tells whether another page follows.
    const rows = await rawSql<Row & { sort_name: string }>(
      this.em,
      `select ${COLUMNS}, lower(company_name) as sort_name from customer_tenants where ${filter}${keyset} order by lower(company_name), tenant_id limit ?`,
      [...params, ...(after ?? []), limit + 1],
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toCustomerRow), next: rows.length > limit ? [last.sort_name, last.tenant_id] : null };
  }

  async detail(organizationId: string, tenantId: string): Promise<CustomerDetail | null> {
    const [row] = await rawSql<Row>(
      this.em,
      `select ${COLUMNS}, delegated_admin_id, relationship, gdap_detail from customer_tenants where organization_id = ? and tenant_id = ?`,
      [organizationId, tenantId],
    );
    return row
      ? {
          ...toCustomerRow(row),
          delegatedAdminId: row.delegated_admin_id,
          relationship: row.relationship,
          gdapRelationships: row.gdap_detail ?? [],
        }
      : null;
  }

  async progress(organizationId: string): Promise<ImportProgress> {
    const [row] = await rawSql<{ running: number; done: number; total: number; failed: number; last_finished_at: Date | null }>(
      this.em,
      `select count(*) filter (where status in ('listing', 'reading'))::int as running,
              coalesce(sum(done) filter (where status in ('listing', 'reading')), 0)::int as done,
              coalesce(sum(total) filter (where status in ('listing', 'reading')), 0)::int as total,
              coalesce(sum(failed) filter (where status in ('listing', 'reading')), 0)::int as failed,
              max(finished_at) as last_finished_at
       from import_runs where organization_id = ?`,
      [organizationId],
    );
    return {
      running: row.running > 0,
      done: row.done,
      total: row.total,
      failed: row.failed,
      lastFinishedAt: sqlTime(row.last_finished_at),
    };
  }

  async failedTenants(organizationId: string): Promise<FailedTenant[]> {
    const rows = await rawSql<{ tenant_id: string; company_name: string; last_error: string }>(
      this.em,
      `select tenant_id, company_name, last_error from customer_tenants where organization_id = ? and status = 'active' and last_error is not null order by lower(company_name), tenant_id`,
      [organizationId],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, companyName: r.company_name, reason: r.last_error }));
  }

  async summary(organizationId: string): Promise<TenantsSummary> {
    // Unreadable licences have null counts, so the seat comparisons below never count them.
    const [row] = await rawSql<Record<keyof TenantsSummary, number>>(
      this.em,
      `select count(*)::int as "tenants",
              (count(*) filter (where last_error is not null))::int as "failed",
              (count(*) filter (where licences_unreadable is not null))::int as "licencesUnreadable",
              (count(*) filter (where access_problem_kind = 'app_not_provisioned'))::int as "appNotSetUp",
              (count(*) filter (where access_problem_kind = 'conditional_access'))::int as "blockedByPolicy",
              (count(*) filter (where ${OVER_ASSIGNED}))::int as "overAssigned",
              coalesce(sum(assigned - purchased) filter (where ${OVER_ASSIGNED}), 0)::int as "overAssignedSeats",
              (count(*) filter (where ${UNUSED}))::int as "withUnusedSeats",
              coalesce(sum(greatest(purchased - assigned, 0)) filter (where ${UNUSED}), 0)::int as "unusedSeats"
       from customer_tenants where organization_id = ? and status = 'active'`,
      [organizationId],
    );
    return row;
  }

  async *all(organizationId: string): AsyncIterable<CustomerRow[]> {
    let after = '';
    for (;;) {
      // Keyset paging: stable and cheap however many tenants there are.
      const rows = await rawSql<Row>(
        this.em,
        `select ${COLUMNS} from customer_tenants where organization_id = ? and tenant_id::text > ? order by tenant_id::text limit 1000`,
        [organizationId, after],
      );
      if (rows.length === 0) return;
      yield rows.map(toCustomerRow);
      after = rows[rows.length - 1].tenant_id;
    }
  }
}

// Across the tenant's SKUs; a tenant whose licences are not readable has no counts and is neither.
const OVER_ASSIGNED = 'licences_unreadable is null and assigned > purchased';
// has_unassigned_seats is per SKU and never set for unreadable licences (the list's "Has unassigned seats").
const UNUSED = 'licences_unreadable is null and has_unassigned_seats';

// The list's filters (the Customers page and the API share them).
function whereOf(organizationId: string, query: CustomerFilter): { filter: string; params: unknown[] } {
  const where: string[] = ['organization_id = ?'];
  const params: unknown[] = [organizationId];
  if (!query.includeRemoved) where.push(`status = 'active'`);
  if (query.search?.trim()) {
    where.push(`(company_name ilike ? or domain ilike ? or tenant_id::text ilike ?)`);
    const pattern = likeContaining(query.search.trim());
    params.push(pattern, pattern, pattern);
  }
  if (query.gdap) {
    where.push('gdap_status = ?');
    params.push(query.gdap);
  }
  if (query.unassignedSeats) where.push('has_unassigned_seats');
  if (query.failed) where.push('last_error is not null');
  if (query.overAssigned) where.push(`(${OVER_ASSIGNED})`);
  if (query.licencesUnreadable) where.push('licences_unreadable is not null');
  if (query.accessProblem) {
    where.push('access_problem_kind = ?');
    params.push(query.accessProblem);
  }
  return { filter: where.join(' and '), params };
}

function toCustomerRow(row: Row): CustomerRow {
  return {
    tenantId: row.tenant_id,
    companyName: row.company_name,
    domain: row.domain,
    status: row.status,
    removedAt: sqlTime(row.removed_at),
    purchased: row.purchased,
    assigned: row.assigned,
    hasUnassignedSeats: row.has_unassigned_seats,
    licencesUnreadable: row.licences_unreadable ?? null,
    gdapStatus: row.gdap_status,
    gdapMissingRoles: row.gdap_missing_roles,
    lastError: row.last_error,
    licencesReadAt: sqlTime(row.licences_read_at),
    gdapReadAt: sqlTime(row.gdap_read_at),
    changedAt: sqlTime(row.changed_at),
    appStatus: row.app_status,
    appProvisionedAt: sqlTime(row.app_provisioned_at),
    accessProblem: row.access_problem,
    accessProblemKind: row.access_problem_kind,
  };
}
