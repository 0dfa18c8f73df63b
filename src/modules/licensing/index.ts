// Licensing: licences per customer tenant × SKU, Partner Center subscriptions and the subscriptions in each
// customer's directory, recorded from imports (on tenants.tenant-licences-read). Publishes
// licensing.licences-recorded; LicensingQueries is its read facade, LicenceHoldings what the reconciliation compares.
export { LicensingModule } from './licensing.module';
export * from './events';
export * from './contracts/licensing-queries';
export * from './contracts/licence-holdings';
// How a subscription's term, status and dates read (the portal's seat-change rules read them the same way).
export { isMonthlyTerm, subscriptionState, termLabel, type SubscriptionState } from '../../shared/domain/licence-terms';
export { instant } from './domain/instants';
// A SKU by its catalogue name (the reconciliation names products no snapshot holds any more).
export { catalogueName } from './domain/sku-catalog';
// Keyset pages of the partner API (the reconciliation's API pages the same way).
export type { KeysetPage } from './application/licence-page-queries';
