import type { AgreementRecord, BillingCycleName } from '../scenario/scenario';

export const DAY_MS = 24 * 60 * 60 * 1000;

// ConnectWise dates are UTC date-times; billing works on whole UTC days.
export function dayOf(value: string | number): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addMonths(dayMs: number, months: number): number {
  const date = new Date(dayMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate());
}

const CYCLE_MONTHS: Record<BillingCycleName, number> = { Monthly: 1, Quarterly: 3, SemiAnnual: 6, Annual: 12 };

export function cycleMonths(name: string): number {
  return CYCLE_MONTHS[name as BillingCycleName] ?? 1;
}

// The billing period [start, end) of the agreement that contains `day`, stepping from billStartDate by the cycle.
export function periodContaining(agreement: AgreementRecord, day: number): { start: number; end: number } {
  const months = cycleMonths(agreement.billingCycle.name);
  const anchor = dayOf(agreement.billStartDate ?? agreement.startDate);
  let start = anchor;
  if (day >= anchor) {
    while (addMonths(start, months) <= day) start = addMonths(start, months);
  } else {
    while (start > day) start = addMonths(start, -months);
  }
  return { start, end: addMonths(start, months) };
}
