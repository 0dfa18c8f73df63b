import type { MappingRow } from '../../application/company-mapping.use-case';
import type { OrganizationPreview, PreviewLine, TenantPreview } from '../../application/invoice-preview.queries';
import type { Snapshot, SnapshotLine, StoredApproval, StoredProfile } from '../../application/ports/billing.repository';
import type { BillingSettings, LineValues } from '../../domain/approval';
import { amountText, priceText } from '../../domain/money';
import type {
  ApprovalResponse,
  BillingProfileResponse,
  BillingSettingsResponse,
  CompanyMappingResponse,
  InvoiceLineResponse,
  LineValuesResponse,
  OrganizationPreviewResponse,
  SnapshotLineResponse,
  SnapshotResponse,
  TenantPreviewResponse,
} from './billing-api.dto';

export function toSettings(settings: BillingSettings): BillingSettingsResponse {
  return {
    currency: settings.currency,
    autoApproveIncreases: settings.autoApproveIncreases,
    approvalThreshold: amountText(settings.approvalThreshold),
  };
}

export function toProfile(profile: StoredProfile): BillingProfileResponse {
  return {
    id: profile.id,
    skuId: profile.skuId,
    tenantId: profile.tenantId,
    termDuration: profile.termDuration,
    billingCycle: profile.billingCycle,
    productName: profile.productName,
    productCode: profile.productCode,
    priceKind: profile.priceKind,
    unitPrice: profile.unitPrice ? priceText(profile.unitPrice) : null,
    markupPercent: profile.markupPercent?.toString() ?? null,
    unitCost: profile.unitCost ? priceText(profile.unitCost) : null,
    charge: profile.charge,
    quantityRule: profile.quantityRule,
    includedQuantity: profile.includedQuantity,
    minimumQuantity: profile.minimumQuantity,
    updatedAt: profile.updatedAt.toISOString(),
    updatedBy: profile.updatedByName,
  };
}

export function toMapping(row: MappingRow): CompanyMappingResponse {
  const { customer, mapping } = row;
  return {
    tenantId: customer.tenantId,
    companyName: customer.companyName,
    domain: customer.domain,
    accountName: mapping.accountName,
    accountCode: mapping.accountCode,
    status: mapping.status,
    suggestedBecause: mapping.suggestedBecause,
    confirmedAt: mapping.confirmedAt?.toISOString() ?? null,
    confirmedBy: mapping.confirmedByName,
  };
}

export function toLine(line: PreviewLine): InvoiceLineResponse {
  return {
    skuId: line.skuId,
    microsoftProduct: line.microsoftProduct,
    productName: line.productName,
    productCode: line.productCode,
    status: line.status,
    profileScope: line.profileScope,
    termDuration: line.termDuration,
    billingCycle: line.billingCycle,
    purchased: line.purchased,
    assigned: line.assigned,
    quantity: line.quantity,
    unitPrice: line.unitPrice ? priceText(line.unitPrice) : null,
    amount: line.amount ? amountText(line.amount) : null,
    why: line.why,
    approvedQuantity: line.approved?.quantity ?? null,
    approvedAmount: line.approved ? amountText(line.approved.amount) : null,
    change: line.change ? amountText(line.change.delta) : line.status === 'billable' && line.amount && line.approved ? '0.00' : null,
    pendingApprovalId: line.pending?.id ?? null,
  };
}

export function toTenantPreview(preview: TenantPreview): TenantPreviewResponse {
  return {
    period: preview.period,
    currency: preview.currency,
    tenantId: preview.customer.tenantId,
    companyName: preview.customer.companyName,
    accountName: preview.mapping?.status === 'confirmed' ? preview.mapping.accountName : null,
    lines: preview.lines.map(toLine),
    apart: preview.apart.map(toLine),
    removed: preview.removed.map(toLine),
    total: amountText(preview.total),
    approvedTotal: amountText(preview.approvedTotal),
  };
}

export function toOrganizationPreview(preview: OrganizationPreview): OrganizationPreviewResponse {
  return {
    period: preview.period,
    currency: preview.currency,
    total: amountText(preview.total),
    approvedTotal: amountText(preview.approvedTotal),
    pending: preview.pending,
    notMapped: preview.notMapped,
    tenants: preview.tenants.map((t) => ({
      tenantId: t.tenantId,
      companyName: t.companyName,
      accountName: t.mappingConfirmed ? t.accountName : null,
      lines: t.lines,
      notMapped: t.notMapped,
      total: amountText(t.total),
      approvedTotal: amountText(t.approvedTotal),
      change: amountText(t.change),
      pending: t.pending,
    })),
  };
}

function values(v: LineValues | null): LineValuesResponse | null {
  return v && { productName: v.productName, quantity: v.quantity, unitPrice: priceText(v.unitPrice), amount: amountText(v.amount) };
}

export function toApproval(approval: StoredApproval, companyName: string): ApprovalResponse {
  return {
    id: approval.id,
    tenantId: approval.tenantId,
    companyName,
    skuId: approval.skuId,
    kind: approval.kind,
    before: values(approval.before),
    after: values(approval.after),
    delta: amountText(approval.delta),
    status: approval.status,
    createdAt: approval.createdAt.toISOString(),
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    decidedBy: approval.decidedByName,
  };
}

export function toSnapshot(snapshot: Snapshot): SnapshotResponse {
  return {
    period: snapshot.period,
    currency: snapshot.currency,
    total: amountText(snapshot.total),
    frozenAt: snapshot.frozenAt.toISOString(),
    frozenBy: snapshot.frozenByName,
    lines: snapshot.lines,
  };
}

export function toSnapshotLine(line: SnapshotLine): SnapshotLineResponse {
  return {
    tenantId: line.tenantId,
    companyName: line.companyName,
    accountName: line.accountName,
    skuId: line.skuId,
    microsoftProduct: line.microsoftProduct,
    productName: line.productName,
    productCode: line.productCode,
    status: line.status,
    purchased: line.purchased,
    assigned: line.assigned,
    quantity: line.quantity,
    unitPrice: line.unitPrice ? priceText(line.unitPrice) : null,
    amount: line.amount ? amountText(line.amount) : null,
    why: line.why,
    inputs: line.inputs,
  };
}
