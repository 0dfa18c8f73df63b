// Integration events of the reconciliation. Their names keep the licensing. prefix they were published with before
// the reconciliation became its own module: webhook receivers and stored outbox messages depend on them.

// The reconciliation: due for an organization (its daily time, or "Run the reconciliation now"); the tenants module answers by
// importing every usable delegated admin's customers again (trigger 'schedule').
export const RECONCILIATION_DUE = 'licensing.reconciliation-due';

export interface ReconciliationDuePayload {
  trigger: 'schedule' | 'manual';
  // The organization's local date the run is for (schedule), for the record.
  localDate: string | null;
}

// One reconciliation run finished: a finished import of one delegated admin's customers, snapshotted and compared.
export const RECONCILIATION_COMPLETED = 'licensing.reconciliation-completed';

export interface ReconciliationCompletedPayload {
  runId: string;
  delegatedAdminId: string;
  importRunId: string;
  tenantsRead: number;
  tenantsFailed: number;
  changes: number;
  openDiscrepancies: number;
}

// A change since the previous run. Seat counts go out as licensing.quantity-changed, everything else (tenants
// and SKUs added or removed, subscriptions added, renewed, suspended, reactivated or cancelled) as
// licensing.licence-changed. Durable: the API serves them, and webhooks deliver both.
export const QUANTITY_CHANGED = 'licensing.quantity-changed';
export const LICENCE_CHANGED = 'licensing.licence-changed';

export interface LicensingChangePayload {
  runId: string;
  changeId: string;
  kind: string;
  tenantId: string;
  skuId: string | null;
  subscriptionId: string | null;
  before: number | string | null;
  after: number | string | null;
  delta: number | null;
  summary: string;
}

// A discrepancy that the previous run of the same delegated admin did not have (opened), or that it had and this
// run no longer has (closed). `key` is stable across runs.
export const DISCREPANCY_OPENED = 'licensing.discrepancy-opened';
export const DISCREPANCY_CLOSED = 'licensing.discrepancy-closed';

export interface DiscrepancyPayload {
  runId: string;
  key: string;
  kind: string;
  tenantId: string;
  skuId: string | null;
  subscriptionId: string | null;
  title: string;
}
