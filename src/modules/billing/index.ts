// Billing: billing profiles, company mapping, the invoice preview, approvals and month-end snapshots (issue 16).
// Reads licensing through its door (one adapter); publishes billing.preview-changed and billing.approval-needed.
// Its use cases are public for the demo seeder and the next (PSA) issue.
export { BillingModule } from './billing.module';
export * from './events';
export { ManageBillingUseCase } from './application/manage-billing.use-case';
export { CompanyMappingUseCase } from './application/company-mapping.use-case';
export { DecideApprovalUseCase } from './application/decide-approval.use-case';
export { FreezeSnapshotUseCase } from './application/freeze-snapshot.use-case';
export { InvoicePreviewQueries } from './application/invoice-preview.queries';
export { RecomputeBillingUseCase } from './application/recompute-billing.use-case';
export {
  BillingForPsaQueries,
  billedProductKey,
  type ApprovedInvoiceLine,
  type BilledProduct,
} from './application/billing-for-psa.queries';
export type { BillingCustomer } from './application/ports/billable-licences.port';
