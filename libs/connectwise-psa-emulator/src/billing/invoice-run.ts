import Decimal from 'decimal.js';
import type { AdditionRecord, AgreementRecord } from '../scenario/scenario';
import type { InvoiceLine, InvoiceLineKind, InvoiceRecord, InvoiceRun } from './invoice.types';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { DAY_MS, dateOnly, dayOf, isoDay, periodContaining } from './dates';

export type { InvoiceLine, InvoiceLineKind, InvoiceRecord, InvoiceRun } from './invoice.types';

// A simulated agreement invoice run: what the customer would really be invoiced, so tests can assert prorate.
// ConnectWise bills agreements in advance, per billing period (FACTS §1 and CEOJ/BI):
// - recurring: every Billable/NoCharge addition in force at the period's start, quantity × unit price (less
//   included); one cancelled inside the period bills up to its cancelledDate when the agreement prorates
//   (assumed: in full when it does not);
// - prorate: an addition whose effectiveDate fell inside the previous period, after that period's invoice, bills
//   the days from effectiveDate to the end of that period (or its cancelledDate) on this invoice, when the agreement
//   has "Prorate Agreement" (prorateFlag);
// - one-time: without prorateFlag such an addition bills from this invoice on (as recurring), except one effective
//   and cancelled inside the same period, which is a one-time charge of the full price (BI).
// The day-based formula (days used ÷ days in the period, both end days counted) is a guess (FACTS: no source).

export interface InvoiceRunOptions {
  invoiceDate?: string | number; // default: the emulator's today
  agreementIds?: number[]; // default: every active agreement
}

export function runInvoices(state: ConnectWiseEmulatorState, options: InvoiceRunOptions = {}): InvoiceRun {
  const day = dayOf(options.invoiceDate ?? state.now());
  const invoices: InvoiceRecord[] = [];
  for (const agreement of state.agreements) {
    if (options.agreementIds && !options.agreementIds.includes(agreement.id)) continue;
    if (!billable(agreement, day)) continue;
    const additions = state.additions.filter((addition) => addition.agreementId === agreement.id);
    const lines = invoiceLines(agreement, additions, day);
    if (lines.length === 0) continue;
    const period = periodContaining(agreement, day);
    const subtotal = lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0)).toNumber();
    const id = state.allocateInvoiceId();
    invoices.push({
      id,
      invoiceNumber: `AGR${String(id).padStart(5, '0')}`,
      type: 'Agreement',
      company: { ...agreement.company },
      agreement: { id: agreement.id, name: agreement.name },
      date: isoDay(day),
      periodStart: dateOnly(period.start),
      periodEnd: dateOnly(period.end - DAY_MS),
      lines,
      subtotal,
      total: subtotal, // no tax in the emulator
    });
  }
  const run: InvoiceRun = {
    invoiceDate: dateOnly(day),
    invoices,
    total: invoices.reduce((sum, invoice) => sum.plus(invoice.total), new Decimal(0)).toNumber(),
  };
  state.invoices.push(...invoices);
  state.invoiceRuns.push(run);
  state.persist();
  return run;
}

function billable(agreement: AgreementRecord, day: number): boolean {
  if (agreement.agreementStatus !== 'Active' || agreement.cancelledFlag) return false;
  if (dayOf(agreement.startDate) > day) return false;
  return !agreement.endDate || dayOf(agreement.endDate) >= day;
}

export function invoiceLines(agreement: AgreementRecord, additions: AdditionRecord[], day: number): InvoiceLine[] {
  const period = periodContaining(agreement, day);
  const previous = periodContaining(agreement, period.start - DAY_MS);
  const lines: InvoiceLine[] = [];
  for (const addition of additions) {
    if (addition.billCustomer === 'DoNotBill') continue;
    const effective = addition.effectiveDate ? dayOf(addition.effectiveDate) : dayOf(agreement.startDate);
    const cancelled = addition.cancelledDate ? dayOf(addition.cancelledDate) : undefined;

    // Arrears of the previous period: additions that started after its invoice.
    if (effective > previous.start && effective < period.start) {
      const lastDay = Math.min(cancelled ?? Number.POSITIVE_INFINITY, period.start - DAY_MS);
      if (lastDay >= effective) {
        if (agreement.prorateFlag) {
          lines.push(line(addition, 'prorate', effective, lastDay, previous));
        } else if (cancelled !== undefined && cancelled < period.start) {
          lines.push(line(addition, 'one-time', effective, lastDay));
        }
      }
    }

    // In force at this period's start: billed in advance.
    if (effective <= period.start && (cancelled === undefined || cancelled >= period.start)) {
      const lastDay = period.end - DAY_MS;
      if (cancelled !== undefined && cancelled < lastDay && agreement.prorateFlag) {
        lines.push(line(addition, 'prorate', period.start, cancelled, period));
      } else {
        lines.push(line(addition, 'recurring', period.start, lastDay));
      }
    }
  }
  return lines;
}

function line(
  addition: AdditionRecord,
  kind: InvoiceLineKind,
  from: number,
  to: number,
  prorateOver?: { start: number; end: number },
): InvoiceLine {
  const quantity = addition.quantity - addition.lessIncluded;
  const unitPrice = addition.billCustomer === 'NoCharge' ? 0 : addition.unitPrice;
  const days = Math.round((to - from) / DAY_MS) + 1;
  let periodDays: number | undefined;
  let price = new Decimal(unitPrice);
  if (kind === 'prorate' && prorateOver) {
    periodDays = Math.round((prorateOver.end - prorateOver.start) / DAY_MS);
    // Per unit first, rounded to cents, like the proratePrice ConnectWise shows on the addition (assumed).
    price = price.times(days).dividedBy(periodDays).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  }
  const amount = price.times(quantity);
  return {
    additionId: addition.id,
    product: { ...addition.product },
    description: addition.invoiceDescription ?? addition.description,
    kind,
    quantity,
    unitPrice,
    amount: amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber(),
    from: dateOnly(from),
    to: dateOnly(to),
    ...(kind === 'prorate' ? { days, periodDays } : {}),
  };
}

// The prorate ConnectWise shows on an addition (proratePrice…) for the period containing `day`: the share of
// the period from its effectiveDate, when the agreement prorates and the addition starts after the period's start.
export function prorateOf(
  agreement: AgreementRecord | undefined,
  addition: AdditionRecord,
  day: number,
): { proratePrice: number; prorateCost: number; days: number; periodDays: number } {
  if (!agreement?.prorateFlag || !addition.effectiveDate) return { proratePrice: 0, prorateCost: 0, days: 0, periodDays: 0 };
  const effective = dayOf(addition.effectiveDate);
  const period = periodContaining(agreement, Math.max(effective, day));
  if (effective <= period.start) return { proratePrice: 0, prorateCost: 0, days: 0, periodDays: 0 };
  const cancelled = addition.cancelledDate ? dayOf(addition.cancelledDate) : undefined;
  const lastDay = Math.min(cancelled ?? Number.POSITIVE_INFINITY, period.end - DAY_MS);
  const days = Math.max(0, Math.round((lastDay - effective) / DAY_MS) + 1);
  const periodDays = Math.round((period.end - period.start) / DAY_MS);
  const share = (value: number) =>
    new Decimal(value).times(days).dividedBy(periodDays).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
  return { proratePrice: share(addition.unitPrice), prorateCost: share(addition.unitCost), days, periodDays };
}
