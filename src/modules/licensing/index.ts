// Licensing: licences per customer tenant × SKU, Partner Center subscriptions and the subscriptions in each
// customer's directory, recorded from imports (on tenants.tenant-licences-read). Publishes
// licensing.licences-recorded; LicensingQueries is its read facade.
export { LicensingModule } from './licensing.module';
export * from './events';
export * from './contracts/licensing-queries';
// How a subscription's term, status and dates read (the portal's seat-change rules read them the same way).
export { isMonthlyTerm, subscriptionState, termLabel, type SubscriptionState } from './domain/reconciliation/picture';
export { instant } from './domain/instants';
// A discrepancy kind in words, as the Licensing tab names it (the overview lists open ones by kind).
export { discrepancyKindLabel } from './interface/web/licensing.view-model';
