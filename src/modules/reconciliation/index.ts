// Reconciliation: the daily comparison of what customer tenants hold (from licensing's LicenceHoldings) with the
// previous run — runs, snapshots, changes, discrepancies, exclusions, month ends — the Licensing tab and its API.
// Publishes the licensing.* reconciliation events (events.ts); ReconciliationOverview and OrganizationTimeZone are
// its read facades.
export { ReconciliationModule } from './reconciliation.module';
export * from './events';
export * from './contracts/reconciliation-overview';
export * from './contracts/organization-time-zone';
// A discrepancy kind in words, as the Licensing tab names it (the overview lists open ones by kind).
export { discrepancyKindLabel } from './interface/web/licensing.view-model';
