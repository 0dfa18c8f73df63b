// Billing's integration events: names and payloads only (other modules import this door; no imports here).

// The invoice preview of a customer tenant changed (its lines or its total), after a reconciliation or a change of
// profiles, settings or approvals. Amounts are decimal strings in the organization's currency.
export const BILLING_PREVIEW_CHANGED = 'billing.preview-changed';

export interface BillingPreviewChangedPayload {
  tenantId: string;
  companyName: string;
  period: string;
  currency: string;
  // The billable total of the preview before and now (null: the tenant had no preview before).
  previousTotal: string | null;
  total: string;
  // Lines that have no billing profile (they are not billed until someone maps them).
  notMappedLines: number;
}

// A change of a customer's invoice waits in the approval queue (a decrease, a removed or new line above the
// threshold, or an increase when increases are not automatic).
export const BILLING_APPROVAL_NEEDED = 'billing.approval-needed';

export interface BillingApprovalNeededPayload {
  approvalId: string;
  tenantId: string;
  companyName: string;
  skuId: string;
  kind: 'new' | 'increase' | 'decrease' | 'removed';
  productName: string;
  currency: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  amountBefore: string | null;
  amountAfter: string | null;
  delta: string;
}
