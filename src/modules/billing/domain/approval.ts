import type { InvoiceLine } from './invoice-line';
import type { Amount } from './money';
import { ZERO } from './money';

// A line of the last approved invoice of a customer tenant: what the partner bills today for that product.
export interface ApprovedLine {
  tenantId: string;
  lineKey: string;
  skuId: string;
  productName: string;
  quantity: number;
  unitPrice: Amount;
  amount: Amount;
}

export interface BillingSettings {
  // ISO 4217; every price and amount of the organization is in it.
  currency: string;
  // true: increases of an existing line go onto the invoice without anyone approving them.
  autoApproveIncreases: boolean;
  // Changes whose amount moves by at most this much apply without approval; decreases, removed lines and new
  // lines above it (and increases, when they are not automatic) wait in the approval queue.
  approvalThreshold: Amount;
}

export const DEFAULT_SETTINGS: BillingSettings = { currency: 'USD', autoApproveIncreases: true, approvalThreshold: ZERO };

export type ChangeKind = 'new' | 'increase' | 'decrease' | 'removed';

export interface LineValues {
  productName: string;
  quantity: number;
  unitPrice: Amount;
  amount: Amount;
}

// A difference between the preview and the approved invoice for one line.
export interface LineChange {
  tenantId: string;
  lineKey: string;
  skuId: string;
  kind: ChangeKind;
  before: LineValues | null;
  after: LineValues | null;
  // after.amount − before.amount (a missing side counts as 0).
  delta: Amount;
}

export interface PendingApproval extends LineChange {
  id: string;
  createdAt: Date;
}

// The latest refused change of a line: the same change is not asked again until the preview moves on.
export interface RejectedChange {
  tenantId: string;
  lineKey: string;
  after: LineValues | null;
}

// What is on the invoice of the preview: billable lines with an amount. Lines whose amount is unknown (not mapped,
// cost unknown) propose nothing: the approved line stays until someone maps or prices them.
function previewValues(line: InvoiceLine): LineValues | null | 'unknown' {
  if (line.status === 'not-mapped' || line.status === 'no-price') return 'unknown';
  if (line.status !== 'billable' || line.amount === null || line.unitPrice === null) return null;
  return { productName: line.productName, quantity: line.quantity, unitPrice: line.unitPrice, amount: line.amount };
}

// The changes between one tenant's preview and its approved invoice, in line-key order.
export function lineChanges(tenantId: string, preview: readonly InvoiceLine[], approved: readonly ApprovedLine[]): LineChange[] {
  const approvedByKey = new Map(approved.map((line) => [line.lineKey, line]));
  const previewByKey = new Map(preview.map((line) => [line.lineKey, line]));
  const keys = [...new Set([...approvedByKey.keys(), ...previewByKey.keys()])].sort();
  const changes: LineChange[] = [];
  for (const lineKey of keys) {
    const was = approvedByKey.get(lineKey);
    const line = previewByKey.get(lineKey);
    const now = line ? previewValues(line) : null;
    if (now === 'unknown') continue;
    const before: LineValues | null = was
      ? { productName: was.productName, quantity: was.quantity, unitPrice: was.unitPrice, amount: was.amount }
      : null;
    if (!before && !now) continue;
    const skuId = line?.skuId ?? was!.skuId;
    const delta = (now?.amount ?? ZERO).minus(before?.amount ?? ZERO);
    if (before && now) {
      if (
        before.quantity === now.quantity &&
        before.amount.equals(now.amount) &&
        before.unitPrice.equals(now.unitPrice) &&
        before.productName === now.productName
      )
        continue;
      const kind: ChangeKind = delta.isZero()
        ? now.quantity >= before.quantity
          ? 'increase'
          : 'decrease'
        : delta.isPositive()
          ? 'increase'
          : 'decrease';
      changes.push({ tenantId, lineKey, skuId, kind, before, after: now, delta });
    } else {
      changes.push({ tenantId, lineKey, skuId, kind: now ? 'new' : 'removed', before, after: now, delta });
    }
  }
  return changes;
}

// Whether a change waits for a person: decreases, removed and new lines always do above the threshold; increases
// only when the organization does not let them apply automatically.
export function needsApproval(
  change: Pick<LineChange, 'kind' | 'delta'>,
  settings: Pick<BillingSettings, 'autoApproveIncreases' | 'approvalThreshold'>,
): boolean {
  if (change.kind === 'increase' && settings.autoApproveIncreases) return false;
  return change.delta.abs().greaterThan(settings.approvalThreshold);
}

export function sameValues(a: LineValues | null, b: LineValues | null): boolean {
  if (a === null || b === null) return a === b;
  return a.productName === b.productName && a.quantity === b.quantity && a.unitPrice.equals(b.unitPrice) && a.amount.equals(b.amount);
}

export interface ApprovalPlan {
  // Applied to the approved invoice now (within the threshold, or automatic increases).
  apply: LineChange[];
  // To wait in the queue: new ones, and pending ones whose proposed values moved (their id kept).
  queue: (LineChange & { id: string | null })[];
  // Pending approvals that no longer stand (the preview is back at the approved invoice, or moved past it).
  withdraw: string[];
}

// Compares one tenant's preview with its approved invoice and the approvals already waiting.
export function planApprovals(input: {
  changes: readonly LineChange[];
  pending: readonly PendingApproval[];
  rejected: readonly RejectedChange[];
  settings: Pick<BillingSettings, 'autoApproveIncreases' | 'approvalThreshold'>;
}): ApprovalPlan {
  const plan: ApprovalPlan = { apply: [], queue: [], withdraw: [] };
  const pendingByKey = new Map(input.pending.map((p) => [p.lineKey, p]));
  const rejectedByKey = new Map(input.rejected.map((r) => [r.lineKey, r]));
  const changedKeys = new Set<string>();
  for (const change of input.changes) {
    changedKeys.add(change.lineKey);
    const pending = pendingByKey.get(change.lineKey);
    if (!needsApproval(change, input.settings)) {
      plan.apply.push(change);
      if (pending) plan.withdraw.push(pending.id);
      continue;
    }
    if (pending && sameValues(pending.after, change.after) && sameValues(pending.before, change.before)) continue;
    const rejected = rejectedByKey.get(change.lineKey);
    if (!pending && rejected && sameValues(rejected.after, change.after)) continue;
    plan.queue.push({ ...change, id: pending?.id ?? null });
  }
  for (const pending of input.pending) if (!changedKeys.has(pending.lineKey)) plan.withdraw.push(pending.id);
  return plan;
}

export function changeKindLabel(kind: ChangeKind): string {
  return kind === 'new' ? 'New line' : kind === 'increase' ? 'Increase' : kind === 'decrease' ? 'Decrease' : 'Line removed';
}
