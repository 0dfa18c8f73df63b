// What to write into a PSA so that one customer's agreement (ConnectWise) or contract (Autotask) bills what the
// approved billing preview says, and nothing else. Pure: the adapters read the PSA, this decides, they write.
//
// Three promises hold for both PSAs:
// - only products the partner mapped are touched (other lines of the agreement are the partner's own business);
// - only differences are written: a line already right costs no call;
// - a retry after a crash never writes a change twice, because every plan is made from what the PSA says now
//   (read before write) and the one write that cannot be recognised by its effect alone — ConnectWise's prorate
//   delta addition — carries a key derived from the main addition's state (id, last change, from → to), so any later
//   attempt, of the same run or the next one, finds it as long as the main addition has not changed since.

// One product the customer should be billed for, from the approved billing preview and the product mapping. A mapped
// product no longer billed comes with quantity 0 (its line is cancelled); a product absent from the list is left alone.
export interface WantedLine {
  productId: string; // the PSA's own product: ConnectWise catalog item id, Autotask service id
  quantity: number; // whole seats, 0 = no longer billed
  unitPrice: string; // exact decimal, the billing profile's price
  description: string;
}

export type ProrateChoice = 'prorate' | 'next-period';

export interface BillingPeriod {
  start: string; // YYYY-MM-DD, first day of the agreement's current billing period
  end: string; // YYYY-MM-DD, its last day
}

export interface PlanOptions {
  changeDate: string; // YYYY-MM-DD in the partner's time zone: the day the change is billed from
  period: BillingPeriod;
  prorate: ProrateChoice;
  // A credit for the rest of the period when seats go down (ConnectWise "allow negative prorate"); off by default,
  // as most partners do not refund mid-period.
  creditDecreases?: boolean;
}

export type LineOutcome = 'unchanged' | 'new' | 'increase' | 'decrease' | 'removed' | 'conflict';

export interface PlannedLine {
  productId: string;
  before: number;
  after: number;
  outcome: LineOutcome;
  // Why nothing is written for a conflict, in words the partner can act on.
  problem?: string;
}

// ---- ConnectWise PSA: agreement additions (FACTS §1) ---------------------------------------------------------

export interface ConnectWiseAddition {
  id: number;
  productId: string;
  quantity: number;
  unitPrice: string;
  effectiveDate: string | null;
  cancelledDate: string | null;
  serialNumber: string | null;
  lastUpdated: string | null; // ConnectWise's _info.lastUpdated: moves with every change of the addition
}

export type ConnectWiseWrite =
  | { kind: 'create-addition'; productId: string; quantity: number; unitPrice: string; effectiveDate: string; description: string }
  | { kind: 'change-addition'; additionId: number; productId: string; quantity?: number; unitPrice?: string }
  | { kind: 'cancel-addition'; additionId: number; productId: string; cancelledDate: string }
  | {
      kind: 'add-prorate-delta';
      productId: string;
      quantity: number;
      unitPrice: string;
      effectiveDate: string;
      cancelledDate: string;
      serialNumber: string;
      description: string;
    };

export interface ConnectWisePlan {
  lines: PlannedLine[];
  writes: ConnectWiseWrite[];
}

// Raising seats mid-period the way ConnectWise partners bill it (the commercial Sync 365 does the same, FACTS §1
// "Prorate"): the main addition takes the new quantity from the next invoice on, and a delta addition effective on
// the change day and cancelled at the period's end bills the rest of this period (ConnectWise computes its prorate
// price). The delta is written BEFORE the main addition changes: a crash or a refusal between the two leaves the main
// addition unchanged, so the next attempt (a retry or the next day's run) plans the same delta, finds it by its serial
// number and only changes the quantity. Once the main addition has changed, the same seat change later in the period
// (12 → 15, back to 12, then 15 again) is a new delta: its key names the main addition's new state.
export function planConnectWiseWrites(wanted: WantedLine[], additions: ConnectWiseAddition[], options: PlanOptions): ConnectWisePlan {
  const lines: PlannedLine[] = [];
  const writes: ConnectWiseWrite[] = [];
  const live = additions.filter((addition) => !isCancelledBy(addition, options.changeDate));
  const deltaKeys = new Set(additions.map((addition) => addition.serialNumber).filter((key): key is string => key !== null));

  for (const line of mergeWanted(wanted)) {
    const mains = live.filter((addition) => addition.productId === line.productId && !isDelta(addition));
    if (mains.length > 1) {
      lines.push(
        conflict(
          line,
          mains,
          `The agreement has ${mains.length} active additions for this product; Sync 365 does not guess which one to change. Cancel or merge the extra ones in ConnectWise, then sync again.`,
        ),
      );
      continue;
    }
    const main = mains[0];
    const before = main?.quantity ?? 0;
    if (!main) {
      if (line.quantity === 0) continue;
      lines.push({ productId: line.productId, before: 0, after: line.quantity, outcome: 'new' });
      writes.push({
        kind: 'create-addition',
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        effectiveDate: options.prorate === 'prorate' ? options.changeDate : dayAfter(options.period.end),
        description: line.description,
      });
      continue;
    }
    if (line.quantity === 0) {
      lines.push({ productId: line.productId, before, after: 0, outcome: 'removed' });
      writes.push({ kind: 'cancel-addition', additionId: main.id, productId: line.productId, cancelledDate: options.changeDate });
      continue;
    }
    const priceChanged = !sameAmount(main.unitPrice, line.unitPrice);
    if (line.quantity === before) {
      lines.push({ productId: line.productId, before, after: before, outcome: 'unchanged' });
      if (priceChanged) writes.push({ kind: 'change-addition', additionId: main.id, productId: line.productId, unitPrice: line.unitPrice });
      continue;
    }
    const delta = line.quantity - before;
    lines.push({ productId: line.productId, before, after: line.quantity, outcome: delta > 0 ? 'increase' : 'decrease' });
    const billsDelta =
      options.prorate === 'prorate' && (delta > 0 || options.creditDecreases === true) && options.changeDate <= options.period.end;
    const serialNumber = deltaSerialNumber(main, line.quantity);
    if (billsDelta && !deltaKeys.has(serialNumber)) {
      writes.push({
        kind: 'add-prorate-delta',
        productId: line.productId,
        quantity: delta,
        unitPrice: line.unitPrice,
        effectiveDate: options.changeDate,
        cancelledDate: options.period.end,
        serialNumber,
        description: `${line.description} (${delta > 0 ? '+' : ''}${delta} from ${options.changeDate})`,
      });
    }
    writes.push({
      kind: 'change-addition',
      additionId: main.id,
      productId: line.productId,
      quantity: line.quantity,
      ...(priceChanged ? { unitPrice: line.unitPrice } : {}),
    });
  }
  return { lines, writes };
}

// ConnectWise's serialNumber holds at most 50 characters (FACTS §1 "Additions"): the main addition's id, a short hash
// of its last change, and the seat change — e.g. "S365 1234 9f3a61c2 12>15".
export function deltaSerialNumber(main: Pick<ConnectWiseAddition, 'id' | 'quantity' | 'lastUpdated'>, to: number): string {
  return `S365 ${main.id} ${shortHash(main.lastUpdated ?? '')} ${main.quantity}>${to}`.slice(0, 50);
}

// FNV-1a, 32 bits, as 8 hex digits: a stable fingerprint, not a secret.
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function isDelta(addition: ConnectWiseAddition): boolean {
  return addition.serialNumber?.startsWith('S365 ') === true;
}

function isCancelledBy(addition: ConnectWiseAddition, day: string): boolean {
  return addition.cancelledDate !== null && addition.cancelledDate.slice(0, 10) <= day;
}

// ---- Autotask: contract service adjustments (FACTS §2) ---------------------------------------------------------

export interface AutotaskContractService {
  contractServiceId: number;
  serviceId: string;
  units: number; // the ContractServiceUnits row in force on the change day
  unitPrice: string;
}

export interface AutotaskWrite {
  kind: 'adjust-units';
  serviceId: string;
  contractServiceId: number | null; // null: the adjustment creates the contract service (FACTS §2 "Quantity change")
  unitChange: number;
  effectiveDate: string;
  adjustedUnitPrice: string;
}

export interface AutotaskPlan {
  lines: PlannedLine[];
  writes: AutotaskWrite[];
}

// Autotask changes units only by dated adjustments (create-only, a delta). It prorates by the effective date, so
// "prorate" dates the adjustment on the change day and "next-period" at the period's start (the whole period at the
// new count, as the commercial Sync 365 does when prorating is off). An adjustment's effect is visible in the units
// in force, which the plan is made from, so a retry after a landed adjustment plans nothing.
export function planAutotaskWrites(wanted: WantedLine[], services: AutotaskContractService[], options: PlanOptions): AutotaskPlan {
  const lines: PlannedLine[] = [];
  const writes: AutotaskWrite[] = [];
  const effectiveDate = options.prorate === 'prorate' ? options.changeDate : options.period.start;
  for (const line of mergeWanted(wanted)) {
    const current = services.filter((service) => service.serviceId === line.productId);
    if (current.length > 1) {
      lines.push(
        conflict(
          line,
          current,
          `The contract has this service ${current.length} times; Sync 365 does not guess which one to adjust. Remove the extra ones in Autotask, then sync again.`,
        ),
      );
      continue;
    }
    const service = current[0];
    const before = service?.units ?? 0;
    if (line.quantity === before) {
      if (service || line.quantity > 0) lines.push({ productId: line.productId, before, after: before, outcome: 'unchanged' });
      continue;
    }
    lines.push({ productId: line.productId, before, after: line.quantity, outcome: outcomeOf(before, line.quantity) });
    writes.push({
      kind: 'adjust-units',
      serviceId: line.productId,
      contractServiceId: service?.contractServiceId ?? null,
      unitChange: line.quantity - before,
      effectiveDate,
      adjustedUnitPrice: line.unitPrice,
    });
  }
  return { lines, writes };
}

// ---- shared ----------------------------------------------------------------------------------------------------

// Two billing products mapped to the same PSA product bill as one line: their seats add up (the price is the
// first's; the mapping page refuses two prices for one PSA product).
function mergeWanted(wanted: WantedLine[]): WantedLine[] {
  const byProduct = new Map<string, WantedLine>();
  for (const line of wanted) {
    if (!Number.isInteger(line.quantity) || line.quantity < 0)
      throw new RangeError(`A PSA quantity is a whole number of seats, not ${line.quantity}.`);
    const seen = byProduct.get(line.productId);
    byProduct.set(line.productId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...byProduct.values()];
}

function conflict(line: WantedLine, current: { quantity?: number; units?: number }[], problem: string): PlannedLine {
  const before = current.reduce((sum, item) => sum + (item.quantity ?? item.units ?? 0), 0);
  return { productId: line.productId, before, after: before, outcome: 'conflict', problem };
}

function outcomeOf(before: number, after: number): LineOutcome {
  if (before === 0) return 'new';
  if (after === 0) return 'removed';
  return after > before ? 'increase' : 'decrease';
}

// Prices are compared as decimals ("12.5" is "12.50"), never as floats.
function sameAmount(a: string, b: string): boolean {
  const normal = (value: string) => {
    const [whole, fraction = ''] = value.trim().replace(/^\+/, '').split('.');
    return `${whole.replace(/^(-?)0+(?=\d)/, '$1')}.${fraction.replace(/0+$/, '')}`;
  };
  return normal(a) === normal(b);
}

function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
