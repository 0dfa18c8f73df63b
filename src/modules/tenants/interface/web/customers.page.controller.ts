import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { csvLine, sendCsv } from '../../../../shared/interface/web/csv';
import { expectImport, flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';
import { DelegatedAdminQueries } from '../../../consent';
import { LicensingQueries } from '../../../licensing';
import { RetryTenantUseCase } from '../../application/retry-tenant.use-case';
import { RefreshCustomersUseCase } from '../../application/refresh-customers.use-case';
import { SORTS, TenantQueries, type CustomerFilter, type CustomerRow } from '../../application/tenant-queries';
import { CustomerTenantNotFoundError } from '../../domain/tenants.errors';
import { APP_LABELS } from '../../domain/customer-access';
import { GDAP_LABELS } from '../../domain/gdap-access';
import { seatBalance } from '../../domain/seat-balance';
import { ACCESS_PROBLEM_LABELS } from '../../domain/customer-access';
import {
  customerDetailView,
  customerRowView,
  exportLink,
  isFiltered,
  LICENCES_UNREADABLE_LABEL,
  listLink,
  PAGE_SIZE,
  parseListQuery,
} from './customer-list.view-model';

const SORT_LABELS: Record<(typeof SORTS)[number], string> = {
  company: 'Company',
  domain: 'Domain',
  purchased: 'Purchased',
  assigned: 'Assigned',
  gdap: 'GDAP',
  updated: 'Last updated',
};

@ApiExcludeController()
@Controller()
export class CustomersPageController {
  constructor(
    private readonly tenants: TenantQueries,
    private readonly clock: Clock,
    private readonly licensing: LicensingQueries,
    private readonly delegatedAdmins: DelegatedAdminQueries,
    private readonly refreshCustomers: RefreshCustomersUseCase,
    private readonly retryTenant: RetryTenantUseCase,
  ) {}

  @Get('customers')
  @Render('pages/customers')
  async list(@CurrentActor() actor: Actor, @Query() raw: Record<string, unknown>) {
    const query = parseListQuery(raw);
    const [{ rows, total }, failed, progress, admins] = await Promise.all([
      this.tenants.list(actor.organizationId, query),
      this.tenants.failedTenants(actor.organizationId),
      this.tenants.progress(actor.organizationId),
      this.delegatedAdmins.list(actor.organizationId),
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const filtered = isFiltered(query);
    return {
      pageTitle: 'Customers',
      tab: 'customers',
      subTab: 'tenants',
      organizationName: actor.organizationName,
      connected: admins.length > 0,
      rows: rows.map(customerRowView),
      total,
      filtered,
      query: { ...query, q: query.search ?? '' },
      failed,
      progress,
      gdapOptions: Object.entries(GDAP_LABELS).map(([value, label]) => ({ value, label, selected: value === query.gdap })),
      // Column headers sort by their column; a second click reverses the order.
      sorts: Object.fromEntries(
        SORTS.map((sort) => [
          sort,
          {
            label: SORT_LABELS[sort],
            href: listLink(query, {
              sort: sort === 'company' ? undefined : sort,
              dir: query.sort === sort && !query.descending ? 'desc' : undefined,
              page: undefined,
            }),
            active: query.sort === sort,
            arrow: query.sort === sort ? (query.descending ? '↓' : '↑') : '',
          },
        ]),
      ),
      previousPage: query.page > 1 ? listLink(query, { page: String(query.page - 1) }) : undefined,
      nextPage: query.page < pages ? listLink(query, { page: String(query.page + 1) }) : undefined,
      page: query.page,
      pages,
      exportCustomersLink: exportLink(query, '/customers/export.csv'),
      exportLicencesLink: exportLink(query, '/licences/export.csv'),
      // Filters only the overview's links set: shown so the list says what it is narrowed to, each removable.
      linkFilters: [
        ...(query.accessProblem
          ? [
              {
                name: 'access',
                value: query.accessProblem,
                label: ACCESS_PROBLEM_LABELS[query.accessProblem],
                clearLink: listLink(query, { access: undefined, page: undefined }),
              },
            ]
          : []),
        ...(query.licencesUnreadable
          ? [
              {
                name: 'unreadable',
                value: '1',
                label: LICENCES_UNREADABLE_LABEL,
                clearLink: listLink(query, { unreadable: undefined, page: undefined }),
              },
            ]
          : []),
      ],
    };
  }

  @Post('customers/refresh')
  async refresh(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.refreshCustomers.execute(actor);
    if (result.connected === 0)
      flash(
        request,
        'error',
        'No Partner Center account can be used: connect one under Delegated Admin, or Re-grant the one that needs re-consent.',
      );
    else if (result.started === 0) flash(request, 'info', 'An import is already running; it keeps going.');
    else flash(request, 'success', 'Updating your customers from Partner Center. This page shows the progress.');
    if (result.started > 0) expectImport(request, this.clock.now());
    await redirectAfterSave(request, response, '/customers');
  }

  @Post('tenants/:tenantId/retry')
  async retry(
    @CurrentActor() actor: Actor,
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const retried = await this.retryTenant.execute(actor.organizationId, tenantId);
    flash(
      request,
      retried ? 'success' : 'info',
      retried ? 'Reading this tenant again.' : 'This tenant is not waiting for a retry (it may already be read again by a running import).',
    );
    await redirectAfterSave(
      request,
      response,
      typeof request.body?.back === 'string' && request.body.back === 'detail' ? `/tenants/${tenantId}` : '/customers',
    );
  }

  // Both exports take the list's search and filters (q, gdap, unassigned, failed, removed, overAssigned, access, unreadable): they export
  // what the list shows, every page of it.
  @Get('customers/export.csv')
  async exportCustomers(@CurrentActor() actor: Actor, @Query() raw: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const filter = parseListQuery(raw);
    const columns = [
      'Company',
      'Domain',
      'Tenant ID',
      'Status',
      'Licences purchased',
      'Licences assigned',
      'Unassigned seats',
      'Unused seats',
      'Over-assigned by',
      'GDAP status',
      'GDAP missing roles',
      'Last error',
      'Licences read at',
      'GDAP read at',
      'Licences not readable',
      'Sync 365 app',
      'Customer access problem',
    ];
    await sendCsv(
      response,
      'customers.csv',
      columns,
      async function* (tenants) {
        for await (const batch of matching(tenants, actor.organizationId, filter)) {
          // Unreadable licences leave the counts empty (unknown, never 0) and say why in the last column.
          for (const r of batch) {
            yield csvLine([
              r.companyName,
              r.domain,
              r.tenantId,
              r.status,
              r.purchased,
              r.assigned,
              r.licencesUnreadable ? '' : r.hasUnassignedSeats ? 'yes' : 'no',
              // Empty (unknown) when the licences are not readable or not read yet.
              ...seatColumns(r),
              GDAP_LABELS[r.gdapStatus],
              r.gdapMissingRoles.join('; '),
              r.lastError,
              r.licencesReadAt?.toISOString(),
              r.gdapReadAt?.toISOString(),
              r.licencesUnreadable ? `${LICENCES_UNREADABLE_LABEL}. ${r.licencesUnreadable}` : '',
              r.appStatus ? APP_LABELS[r.appStatus] : '',
              r.accessProblem,
            ]);
          }
        }
      },
      this.tenants,
    );
  }

  @Get('licences/export.csv')
  async exportLicences(@CurrentActor() actor: Actor, @Query() raw: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const filter = parseListQuery(raw);
    // The tenants the list shows, by id: their licences only, each line named by its company.
    const shown = new Map<string, CustomerRow>();
    for await (const batch of matching(this.tenants, actor.organizationId, filter)) for (const t of batch) shown.set(t.tenantId, t);
    await sendCsv(
      response,
      'licences.csv',
      [
        'Company',
        'Tenant ID',
        'Product',
        'SKU part number',
        'SKU ID',
        'Purchased',
        'Assigned',
        'Available',
        'Suspended',
        'Warning',
        'Capability status',
        'Read at',
        'Locked out',
      ],
      async function* (licensing) {
        for await (const batch of licensing.allLicences(actor.organizationId)) {
          for (const l of batch) {
            const tenant = shown.get(l.tenantId);
            // Unreadable licences keep their last known rows in licensing: never exported as if they were current.
            if (!tenant || tenant.licencesUnreadable) continue;
            yield csvLine([
              tenant.companyName,
              l.tenantId,
              l.productName,
              l.skuPartNumber,
              l.skuId,
              l.purchased,
              l.assigned,
              l.available,
              l.suspended,
              l.warning,
              l.capabilityStatus,
              l.readAt,
              l.lockedOut,
            ]);
          }
        }
        // A tenant whose licences Partner Center would not list: one line saying so, its counts empty (unknown, not 0).
        for (const t of shown.values()) {
          if (t.licencesUnreadable)
            yield csvLine([
              t.companyName,
              t.tenantId,
              LICENCES_UNREADABLE_LABEL,
              '',
              '',
              '',
              '',
              '',
              '',
              '',
              LICENCES_UNREADABLE_LABEL,
              t.licencesReadAt?.toISOString(),
              '',
            ]);
        }
      },
      this.licensing,
    );
  }

  // Not under /customers/…: that path also holds the Delegated Admin tab.
  @Get('tenants/:tenantId')
  @Render('pages/customer-detail')
  async detail(@CurrentActor() actor: Actor, @Param('tenantId', ParseUUIDPipe) tenantId: string) {
    const detail = await this.tenants.detail(actor.organizationId, tenantId);
    if (!detail) throw new CustomerTenantNotFoundError();
    const [licences, subscriptions] = await Promise.all([
      this.licensing.licencesOfTenant(actor.organizationId, tenantId),
      this.licensing.subscriptionsOfTenant(actor.organizationId, tenantId),
    ]);
    return { pageTitle: detail.companyName, tab: 'customers', subTab: 'tenants', ...customerDetailView(detail, licences, subscriptions) };
  }
}

// Every tenant the list's filter matches, in keyset pages (stable however many there are).
async function* matching(tenants: TenantQueries, organizationId: string, filter: CustomerFilter): AsyncIterable<CustomerRow[]> {
  let after: string[] | null = null;
  do {
    const page: { items: CustomerRow[]; next: string[] | null } = await tenants.page(organizationId, filter, after, 1000);
    if (page.items.length) yield page.items;
    after = page.next;
  } while (after);
}

function seatColumns(row: CustomerRow): [number | string, number | string] {
  const seats = seatBalance(row);
  return seats.known ? [seats.unused, seats.overAssignedBy] : ['', ''];
}
