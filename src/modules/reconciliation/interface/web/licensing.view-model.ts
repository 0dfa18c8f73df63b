import type {
  DiscrepanciesView,
  DiscrepancyView,
  ExclusionView,
  LicensingChangeView,
  MonthEndView,
  ReconciliationRunView,
  TenantHistoryPoint,
} from '../../application/reconciliation-queries';
import { exclusionScope, ruleLabel } from '../../application/manage-exclusions.use-case';
import { DISCREPANCY_KINDS, formatDay, isValidTimeZone, localDateTimeParts, type DiscrepancyKind } from '../../domain';

// Plain objects for the Licensing tab's templates. Times are shown on the organization's wall clock (its
// reconciliation time zone), the clock its daily run follows.

export const KIND_LABELS: Record<DiscrepancyKind, string> = {
  'over-assigned': 'More users than paid seats',
  'unassigned-seats': 'Unused seats',
  'quantity-mismatch': 'Partner Center and tenant disagree',
  'not-sold-by-you': 'Not bought through you',
  'subscription-suspended': 'Suspended subscriptions',
  'subscription-ending': 'Subscriptions ending',
  'tenant-unreadable': 'Tenants that could not be read',
  'licences-unreadable': 'Licences not readable (GDAP role missing)',
};

export function discrepancyKindLabel(kind: string): string {
  return isDiscrepancyKind(kind) ? KIND_LABELS[kind] : kind;
}

const TRIGGER_LABELS: Record<string, string> = {
  schedule: 'Daily run',
  manual: 'Run by hand',
  consent: 'First import after connecting Partner Center',
  retry: 'Retry of a tenant',
};

const SEVERITY_TONES: Record<string, string> = { high: 'bad', medium: 'warn', low: 'neutral' };

export function isDiscrepancyKind(value: unknown): value is DiscrepancyKind {
  return typeof value === 'string' && (DISCREPANCY_KINDS as readonly string[]).includes(value);
}

// '26 November 2026, 02:00'. Falls back to UTC should a stored time zone no longer be known to the runtime.
export function localTime(date: Date, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return `${formatDay(date, zone)}, ${localDateTimeParts(date, zone).time}`;
}

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function runView(run: ReconciliationRunView, timeZone: string) {
  return {
    ...run,
    finished: localTime(run.finishedAt, timeZone),
    finishedIso: run.finishedAt.toISOString(),
    took: duration(run.durationMs),
    triggerLabel: TRIGGER_LABELS[run.trigger] ?? run.trigger,
    csv: runCsvLinks(run.id),
  };
}

export function runCsvLinks(runId: string, tenantId?: string) {
  const query = tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : '';
  return { licences: `/licensing/runs/${runId}/export.csv${query}`, subscriptions: `/licensing/runs/${runId}/subscriptions.csv${query}` };
}

export function monthEndView(monthEnd: MonthEndView, timeZone: string, tenantId?: string) {
  const query = tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : '';
  return {
    month: monthEnd.month,
    label: monthLabel(monthEnd.month),
    frozen: localTime(monthEnd.frozenAt, timeZone),
    runs: monthEnd.runs.length,
    csv: {
      licences: `/licensing/month-ends/${monthEnd.month}/export.csv${query}`,
      subscriptions: `/licensing/month-ends/${monthEnd.month}/subscriptions.csv${query}`,
    },
  };
}

// '2026-11' → 'November 2026'.
export function monthLabel(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, number - 1, 15)),
  );
}

export function discrepancyView(discrepancy: DiscrepancyView, timeZone: string) {
  return {
    ...discrepancy,
    kindLabel: KIND_LABELS[discrepancy.kind],
    tone: SEVERITY_TONES[discrepancy.severity] ?? 'neutral',
    actBy: discrepancy.actBy ? formatDay(discrepancy.actBy, isValidTimeZone(timeZone) ? timeZone : 'UTC') : null,
    tenantLink: `/licensing/tenants/${discrepancy.tenantId}`,
    // No exclusion silences an unreadable tenant (its figures say nothing), so none is offered.
    excludeLink:
      discrepancy.kind === 'tenant-unreadable' || discrepancy.kind === 'licences-unreadable' || discrepancy.silencedBy
        ? null
        : `/licensing/exclusions?${new URLSearchParams({ tenantId: discrepancy.tenantId, ...(discrepancy.skuId ? { skuId: discrepancy.skuId } : {}) }).toString()}#add`,
  };
}

// Discrepancies grouped by kind in the domain's order, each group with its full count (items may be limited).
export function discrepancyGroups(discrepancies: DiscrepanciesView, timeZone: string) {
  const counts = new Map(discrepancies.countsByKind.map((c) => [c.kind, c.count]));
  const groups = new Map<DiscrepancyKind, ReturnType<typeof discrepancyView>[]>();
  for (const item of discrepancies.items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), discrepancyView(item, timeZone)]);
  return [...groups.entries()].map(([kind, items]) => ({ kind, label: KIND_LABELS[kind], count: counts.get(kind) ?? items.length, items }));
}

export function changeView(change: LicensingChangeView, timeZone: string) {
  // Not `when`: that name is the layout's date helper, which a template would call instead.
  return { ...change, at: localTime(change.occurredAt, timeZone), tenantLink: `/licensing/tenants/${change.tenantId}` };
}

export function exclusionView(exclusion: ExclusionView, timeZone: string) {
  return {
    ...exclusion,
    scope: exclusionScope(exclusion),
    ruleLabel: ruleLabel(exclusion),
    created: localTime(exclusion.createdAt, timeZone),
  };
}

// Every IANA zone the runtime knows, UTC first (Intl's list leaves it out), and the current one even when it is an
// alias the list does not name.
export function timeZoneOptions(current: string) {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  if (!zones.includes(current)) zones.unshift(current);
  return zones.map((zone) => ({ value: zone, selected: zone === current }));
}

export interface ChartPoint {
  at: Date;
  purchased: number;
  assigned: number;
}

const WIDTH = 400;
const HEIGHT = 160;
const PAD = { left: 36, right: 12, top: 10, bottom: 26 };

// An inline SVG line chart of purchased and assigned seats over time (x by time, so a gap between runs shows).
export function seatChart(title: string, points: ChartPoint[], timeZone: string) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const first = points[0]?.at.getTime() ?? 0;
  const last = points[points.length - 1]?.at.getTime() ?? 0;
  const max = niceMax(Math.max(1, ...points.flatMap((p) => [p.purchased, p.assigned])));
  const x = (at: Date) => round(PAD.left + (last === first ? plotWidth / 2 : ((at.getTime() - first) / (last - first)) * plotWidth));
  const y = (value: number) => round(PAD.top + plotHeight - (value / max) * plotHeight);
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const line = (pick: (p: ChartPoint) => number) => points.map((p) => `${x(p.at)},${y(pick(p))}`).join(' ');
  const latest = points[points.length - 1];
  // Runs of one day (a run by hand after the daily run) are told apart by their time.
  const oneDay = points.length > 1 && formatDay(points[0].at, zone) === formatDay(latest.at, zone);
  const dayLabel = (at: Date) => (oneDay ? localTime(at, zone) : formatDay(at, zone));
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    ariaLabel: `${title}: purchased and assigned seats over ${points.length} ${points.length === 1 ? 'run' : 'runs'}${latest ? `; latest ${latest.purchased} purchased, ${latest.assigned} assigned` : ''}`,
    purchasedLine: line((p) => p.purchased),
    assignedLine: line((p) => p.assigned),
    dots: points.map((p) => ({
      x: x(p.at),
      purchasedY: y(p.purchased),
      assignedY: y(p.assigned),
      label: `${localTime(p.at, zone)}: ${p.purchased} purchased, ${p.assigned} assigned`,
    })),
    yTicks: [0, max / 2, max].map((value) => ({ y: y(value), label: String(Math.round(value)) })),
    xLabels:
      points.length === 0
        ? []
        : [
            { x: x(points[0].at), label: dayLabel(points[0].at), anchor: points.length === 1 ? 'middle' : 'start' },
            ...(points.length > 1 ? [{ x: x(latest.at), label: dayLabel(latest.at), anchor: 'end' }] : []),
          ],
    plot: { left: PAD.left, right: WIDTH - PAD.right, bottom: PAD.top + plotHeight, top: PAD.top },
    latest,
  };
}

// The totals chart (paid products) and one per paid product, products by name. A product a run did not list has
// no seats in that run.
export function tenantCharts(history: TenantHistoryPoint[], timeZone: string) {
  const products = new Map<string, { name: string; free: boolean }>();
  for (const point of history) for (const sku of point.skus) products.set(sku.skuId, { name: sku.productName, free: sku.free });
  const paid = [...products.entries()]
    .filter(([, p]) => !p.free)
    .sort(([a, x], [b, y]) => x.name.localeCompare(y.name) || (a < b ? -1 : 1));
  return {
    totals: seatChart(
      'All paid products',
      history.map((p) => ({ at: p.at, purchased: p.purchased, assigned: p.assigned })),
      timeZone,
    ),
    products: paid.map(([skuId, product]) =>
      seatChart(
        product.name,
        history.map((p) => {
          const sku = p.skus.find((s) => s.skuId === skuId);
          return { at: p.at, purchased: sku?.purchased ?? 0, assigned: sku?.assigned ?? 0 };
        }),
        timeZone,
      ),
    ),
    freeProducts: [...products.values()].filter((p) => p.free).map((p) => p.name),
  };
}

// A round axis end at or above the largest value, whose half (the middle tick) is a whole number of seats.
function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  const candidates = [1, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * magnitude);
  return candidates.find((nice) => nice >= value && nice >= 2 && Number.isInteger(nice / 2)) ?? 20 * magnitude;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function csvFileName(kind: 'licences' | 'subscriptions', scope: string, companyName?: string): string {
  const tenant = companyName ? `-${slug(companyName)}` : '';
  return `${kind}-${scope}${tenant}.csv`;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-')
      .slice(0, 60) || 'tenant'
  );
}
