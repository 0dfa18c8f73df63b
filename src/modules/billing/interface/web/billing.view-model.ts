import type { MappingRow } from '../../application/company-mapping.use-case';
import type { PreviewLine } from '../../application/invoice-preview.queries';
import type { Snapshot, SnapshotLine, StoredApproval, StoredProfile } from '../../application/ports/billing.repository';
import { changeKindLabel, type LineValues } from '../../domain/approval';
import { chargeLabel, quantityRuleLabel, termLabel } from '../../domain/billing-profile';
import type { LineStatus } from '../../domain/invoice-line';
import { formatMoney, priceText, type Amount } from '../../domain/money';
import { periodLabel } from '../../domain/period';
import { profileWords } from '../../application/manage-billing.use-case';

export const STATUS_LABELS: Record<LineStatus | 'awaiting-approval', { label: string; badge: string }> = {
  billable: { label: 'Billable', badge: 'ok' },
  'non-billable': { label: 'Non-billable', badge: 'neutral' },
  'no-charge': { label: 'No charge', badge: 'neutral' },
  'not-mapped': { label: 'Not mapped', badge: 'warn' },
  'no-price': { label: 'Cost unknown', badge: 'warn' },
  'not-sold-by-you': { label: 'Not sold by you', badge: 'neutral' },
  excluded: { label: 'Excluded', badge: 'neutral' },
  'awaiting-approval': { label: 'Awaiting approval', badge: 'warn' },
};

export function money(value: Amount | null, currency: string): string {
  return value === null ? '—' : formatMoney(value, currency);
}

export function signedMoney(value: Amount, currency: string): string {
  if (value.isZero()) return 'no change';
  return `${value.isPositive() ? '+' : ''}${formatMoney(value, currency)}`;
}

export function lineView(line: PreviewLine, currency: string) {
  const status = STATUS_LABELS[line.status];
  return {
    skuId: line.skuId,
    microsoftProduct: line.microsoftProduct,
    productName: line.productName || line.microsoftProduct,
    productCode: line.productCode,
    mapped: line.status !== 'not-mapped',
    override: line.profileScope === 'customer',
    term: line.termDuration ? `${termLabel(line.termDuration)}${line.billingCycle ? `, billed ${line.billingCycle}` : ''}` : null,
    status: status.label,
    badge: status.badge,
    quantity: line.status === 'not-mapped' ? '—' : String(line.quantity),
    unitPrice: line.unitPrice ? `${priceText(line.unitPrice)}` : '—',
    amount: money(line.amount, currency),
    why: line.why,
    approved: line.approved
      ? `${line.approved.quantity} × ${priceText(line.approved.unitPrice)} = ${formatMoney(line.approved.amount, currency)}`
      : null,
    change: line.change ? `${changeKindLabel(line.change.kind)}: ${signedMoney(line.change.delta, currency)}` : null,
    pending: line.pending ? { id: line.pending.id } : null,
  };
}

function valuesWords(values: LineValues | null, currency: string): string {
  return values ? `${values.quantity} × ${priceText(values.unitPrice)} = ${formatMoney(values.amount, currency)}` : '—';
}

export function approvalView(approval: StoredApproval, companyName: string, currency: string) {
  return {
    id: approval.id,
    tenantId: approval.tenantId,
    companyName,
    productName: (approval.after ?? approval.before)!.productName,
    kind: changeKindLabel(approval.kind),
    decrease: approval.kind === 'decrease' || approval.kind === 'removed',
    before: valuesWords(approval.before, currency),
    after: valuesWords(approval.after, currency),
    delta: signedMoney(approval.delta, currency),
    createdAt: approval.createdAt.toISOString(),
    status:
      approval.status === 'pending'
        ? 'Waiting'
        : approval.status === 'approved'
          ? 'Approved'
          : approval.status === 'rejected'
            ? 'Rejected'
            : 'No longer proposed',
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    decidedByName: approval.decidedByName,
  };
}

export function profileView(profile: StoredProfile, companyName: string | null, microsoftProduct: string | null) {
  return {
    id: profile.id,
    productName: profile.productName,
    productCode: profile.productCode,
    microsoftProduct: microsoftProduct ?? profile.skuId,
    customer: companyName,
    term:
      profile.termDuration === null && profile.billingCycle === null
        ? 'Any term'
        : `${termLabel(profile.termDuration)}${profile.billingCycle ? `, billed ${profile.billingCycle}` : ''}`,
    price:
      profile.priceKind === 'fixed'
        ? profile.unitPrice
          ? priceText(profile.unitPrice)
          : '—'
        : `Cost ${profile.markupPercent?.isNegative() ? '−' : '+'} ${profile.markupPercent?.abs().toString()} %`,
    charge: chargeLabel(profile.charge),
    quantity: quantityRuleLabel(profile.quantityRule),
    extras: [
      profile.includedQuantity > 0 ? `${profile.includedQuantity} included` : '',
      profile.minimumQuantity > 0 ? `minimum ${profile.minimumQuantity}` : '',
    ]
      .filter(Boolean)
      .join(', '),
    words: profileWords(profile),
    updatedAt: profile.updatedAt.toISOString(),
    updatedByName: profile.updatedByName,
  };
}

export function mappingView(row: MappingRow) {
  return {
    tenantId: row.customer.tenantId,
    companyName: row.customer.companyName,
    domain: row.customer.domain,
    accountName: row.mapping.accountName,
    accountCode: row.mapping.accountCode,
    confirmed: row.mapping.status === 'confirmed',
    suggestedBecause: row.mapping.suggestedBecause,
    confirmedAt: row.mapping.confirmedAt?.toISOString() ?? null,
    confirmedByName: row.mapping.confirmedByName,
  };
}

export function snapshotView(snapshot: Snapshot) {
  return {
    period: snapshot.period,
    label: periodLabel(snapshot.period),
    total: formatMoney(snapshot.total, snapshot.currency),
    lines: snapshot.lines,
    frozenAt: snapshot.frozenAt.toISOString(),
    frozenByName: snapshot.frozenByName,
    csv: `/billing/snapshots/${snapshot.period}.csv`,
    pdf: `/billing/snapshots/${snapshot.period}.pdf`,
  };
}

export const SNAPSHOT_CSV_HEADER = [
  'Period',
  'Company',
  'Billing account',
  'Tenant ID',
  'Microsoft product',
  'SKU ID',
  'Your product',
  'Product code',
  'Status',
  'Purchased',
  'Assigned',
  'Quantity',
  'Unit price',
  'Amount',
  'Currency',
  'Why this quantity',
];

export function snapshotCsvValues(snapshot: Snapshot, line: SnapshotLine): (string | number | null)[] {
  return [
    snapshot.period,
    line.companyName,
    line.accountName,
    line.tenantId,
    line.microsoftProduct,
    line.skuId,
    line.productName,
    line.productCode,
    STATUS_LABELS[line.status as LineStatus]?.label ?? line.status,
    line.purchased,
    line.assigned,
    line.quantity,
    line.unitPrice?.toFixed(4) ?? null,
    line.amount?.toFixed(2) ?? null,
    snapshot.currency,
    line.why,
  ];
}
