import Decimal from 'decimal.js';
import type { AutotaskState, WireRecord } from '../state/autotask-state';
import { daysBetween, addDays, parseDay } from '../state/dates';

// A simulated Autotask invoice run: what the recurring-service contracts would bill for the period containing a
// day. Not an Autotask API (Autotask invoices through its UI); it lets tests assert what the customer would be
// invoiced. Modelled on Autotask's documented behaviour and assumed where it is silent:
// - each active recurring-service contract (contractType 7, status 1) bills monthly periods from its start day;
// - a service line bills the units in force on the period's first day, for the whole period, at the contract
//   service's adjusted price (or unit price);
// - an adjustment effective after the period's first day is prorated "by its effective date" [S365AT]: one line of
//   unitChange × price × (days from the effective date to the period's end, inclusive) / (days in the period),
//   negative for a reduction (a credit). The day-based formula is assumed;
// - an adjustment effective on the period's first day is part of that period's units (no prorated line);
// - amounts are rounded half-up to cents per line.
export interface InvoiceLine {
  kind: 'service' | 'adjustment';
  companyID: number;
  companyName: string;
  contractID: number;
  contractName: string;
  contractServiceID: number;
  serviceID: number;
  serviceName: string;
  adjustmentID?: number;
  periodStart: string; // yyyy-mm-dd
  periodEnd: string; // inclusive
  from: string; // first day billed
  units: number; // the units (service) or the unit change (adjustment)
  unitPrice: string; // decimal string
  proratedDays: number; // days billed
  periodDays: number;
  amount: string; // decimal string, 2 places
}

export interface InvoiceRunResult {
  day: string;
  lines: InvoiceLine[];
  totals: { companyID: number; companyName: string; amount: string }[];
}

export interface InvoiceRunOptions {
  day: string; // yyyy-mm-dd: bills the period containing it
  companyId?: number;
  post?: boolean; // mark the periods billed as posted: adjustments dated in them are then refused
}

export function runInvoice(state: AutotaskState, options: InvoiceRunOptions): InvoiceRunResult {
  const day = parseDay(options.day);
  if (!day) throw new Error(`Not a day: ${options.day}`);
  const lines: InvoiceLine[] = [];
  const servicesByContract = new Map<number, WireRecord[]>();
  for (const row of state.rows('ContractServices'))
    servicesByContract.set(row.contractID as number, [...(servicesByContract.get(row.contractID as number) ?? []), row]);
  const contracts = state
    .rows('Contracts')
    .filter(
      (contract) =>
        contract.contractType === 7 &&
        contract.status === 1 &&
        (options.companyId === undefined || contract.companyID === options.companyId),
    );
  for (const contract of contracts) {
    const period = state.periodContaining(contract, day);
    if (!period) continue;
    const company = state.find('Companies', contract.companyID as number);
    const contractServices = servicesByContract.get(contract.id) ?? [];
    for (const contractService of contractServices) {
      const service = state.find('Services', contractService.serviceID as number);
      const price = new Decimal(String(contractService.adjustedPrice ?? contractService.unitPrice ?? 0));
      const base = (): Omit<InvoiceLine, 'kind' | 'from' | 'units' | 'proratedDays' | 'amount'> => ({
        companyID: contract.companyID as number,
        companyName: (company?.companyName as string) ?? '',
        contractID: contract.id,
        contractName: contract.contractName as string,
        contractServiceID: contractService.id,
        serviceID: contractService.serviceID as number,
        serviceName: (service?.name as string) ?? '',
        periodStart: period.start,
        periodEnd: period.end,
        unitPrice: price.toFixed(2),
        periodDays: period.days,
      });
      const units = state.unitsOn(contractService.id, period.start);
      if (units !== 0)
        lines.push({
          ...base(),
          kind: 'service',
          from: period.start,
          units,
          proratedDays: period.days,
          amount: price.times(units).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
        });
      for (const adjustment of adjustmentsInside(state, contractService, period.start, period.end)) {
        const from = parseDay(adjustment.effectiveDate)!;
        const days = daysBetween(from, addDays(period.end, 1));
        const unitChange = adjustment.unitChange as number;
        const amount = price.times(unitChange).times(days).dividedBy(period.days).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
        lines.push({
          ...base(),
          kind: 'adjustment',
          adjustmentID: adjustment.id,
          from,
          units: unitChange,
          proratedDays: days,
          amount: amount.toFixed(2),
        });
      }
    }
    if (options.post) state.markPosted(contract.id, period.start);
  }
  const totals = new Map<number, { companyID: number; companyName: string; amount: Decimal }>();
  for (const line of lines) {
    const total = totals.get(line.companyID) ?? { companyID: line.companyID, companyName: line.companyName, amount: new Decimal(0) };
    total.amount = total.amount.plus(line.amount);
    totals.set(line.companyID, total);
  }
  return { day, lines, totals: [...totals.values()].map((total) => ({ ...total, amount: total.amount.toFixed(2) })) };
}

function adjustmentsInside(state: AutotaskState, contractService: WireRecord, periodStart: string, periodEnd: string): WireRecord[] {
  return state
    .adjustmentsOf(contractService.id)
    .filter((adjustment) => {
      const day = parseDay(adjustment.effectiveDate)!;
      return day > periodStart && day <= periodEnd;
    })
    .sort((a, b) => String(a.effectiveDate).localeCompare(String(b.effectiveDate)) || a.id - b.id);
}
