import type { LicenceView, SubscriptionView } from '../../../licensing';
import type { CustomerDetail, CustomerListQuery, CustomerRow } from '../../application/tenant-queries';
import { SORTS } from '../../application/tenant-queries';
import { ACCESS_PROBLEM_LABELS, APP_LABELS, type CustomerAccessProblemKind } from '../../domain/customer-access';
import { seatBalance } from '../../domain/seat-balance';
import { GDAP_LABELS, gdapFix, type GdapStatus } from '../../domain/gdap-access';

export const PAGE_SIZE = 50;
// What every page, CSV and the API say of a tenant whose licences Partner Center would not list (FACTS.md §7a.3).
export const LICENCES_UNREADABLE_LABEL = 'Not readable: GDAP role missing';
const GDAP_TONES: Record<GdapStatus, string> = { ok: 'ok', missing_roles: 'warn', expired: 'bad', no_gdap: 'bad', unknown: 'neutral' };

// Reads the list's query string, ignoring anything that is not a known value (never an error for a bad link).
export function parseListQuery(raw: Record<string, unknown>): CustomerListQuery {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const sort = SORTS.find((s) => s === text(raw.sort)) ?? 'company';
  const gdap = Object.keys(GDAP_LABELS).find((s) => s === text(raw.gdap)) as GdapStatus | undefined;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(text(raw.page) ?? '1', 10) || 1));
  const accessProblem = Object.keys(ACCESS_PROBLEM_LABELS).find((k) => k === text(raw.access)) as CustomerAccessProblemKind | undefined;
  return {
    search: text(raw.q)?.slice(0, 200),
    gdap,
    unassignedSeats: raw.unassigned === '1',
    failed: raw.failed === '1',
    includeRemoved: raw.removed === '1',
    overAssigned: raw.overAssigned === '1',
    accessProblem,
    licencesUnreadable: raw.unreadable === '1',
    sort,
    descending: raw.dir === 'desc',
    page,
    pageSize: PAGE_SIZE,
  };
}

export function customerRowView(row: CustomerRow) {
  const seats = seatBalance(row);
  return {
    ...row,
    // "54 assigned · 6 unused", or a red "over-assigned by 3": never for licences that are not readable.
    seatsKnown: seats.known,
    unusedSeats: seats.unused,
    overAssignedBy: seats.overAssignedBy,
    gdapLabel: GDAP_LABELS[row.gdapStatus],
    gdapTone: GDAP_TONES[row.gdapStatus],
    gdapMissing: row.gdapMissingRoles.join(', '),
    removed: row.status === 'removed',
    lastReadAt: row.licencesReadAt ?? row.gdapReadAt,
    // Microsoft refuses Sync 365 this customer's directory (the app is missing, or the customer's Conditional Access).
    accessProblemLabel: row.accessProblemKind ? ACCESS_PROBLEM_LABELS[row.accessProblemKind] : null,
    accessProblemTone: row.accessProblemKind === 'conditional_access' ? 'warn' : 'bad',
    appLabel: row.appStatus ? APP_LABELS[row.appStatus] : 'Not known yet',
    licencesUnreadableLabel: LICENCES_UNREADABLE_LABEL,
  };
}

export function customerDetailView(detail: CustomerDetail, licences: LicenceView[], subscriptions: SubscriptionView[]) {
  const max = Math.max(1, ...licences.map((l) => Math.max(l.purchased, l.assigned)));
  return {
    customer: customerRowView(detail),
    relationship: detail.relationship,
    gdapFix: gdapFix(detail.gdapStatus, detail.gdapMissingRoles),
    gdapRelationships: detail.gdapRelationships.map((r) => ({ ...r, roles: r.roles.join(', ') || 'none for the service account' })),
    licences: licences.map((l) => ({ ...l, over: l.assigned > l.purchased })),
    subscriptions,
    // Purchased vs assigned per SKU, drawn by the server as SVG bars (works offline, no script).
    chart: licences.map((l, index) => ({
      name: l.productName,
      purchased: l.purchased,
      assigned: l.assigned,
      y: index * 34,
      purchasedWidth: Math.round((l.purchased / max) * 300),
      assignedWidth: Math.round((l.assigned / max) * 300),
    })),
    chartHeight: licences.length * 34,
  };
}

// A link to the list with one parameter changed, keeping the others.
export function listLink(
  query: CustomerListQuery,
  change: Partial<
    Record<
      'q' | 'sort' | 'dir' | 'gdap' | 'unassigned' | 'failed' | 'removed' | 'overAssigned' | 'access' | 'unreadable' | 'page',
      string | undefined
    >
  >,
  path = '/customers',
): string {
  const params: Record<string, string | undefined> = {
    q: query.search,
    sort: query.sort === 'company' ? undefined : query.sort,
    dir: query.descending ? 'desc' : undefined,
    gdap: query.gdap,
    unassigned: query.unassignedSeats ? '1' : undefined,
    failed: query.failed ? '1' : undefined,
    removed: query.includeRemoved ? '1' : undefined,
    overAssigned: query.overAssigned ? '1' : undefined,
    access: query.accessProblem,
    unreadable: query.licencesUnreadable ? '1' : undefined,
    page: query.page > 1 ? String(query.page) : undefined,
    ...change,
  };
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  return `${path}${search.size ? `?${search}` : ''}`;
}

// The exports follow what the list shows: the same search and filters (every row, not one page; the export's own
// order).
export function exportLink(query: CustomerListQuery, path: '/customers/export.csv' | '/licences/export.csv'): string {
  return listLink(query, { sort: undefined, dir: undefined, page: undefined }, path);
}

export function isFiltered(query: CustomerListQuery): boolean {
  return Boolean(
    query.search ||
    query.gdap ||
    query.unassignedSeats ||
    query.failed ||
    query.overAssigned ||
    query.accessProblem ||
    query.licencesUnreadable,
  );
}
