// PSA sync (issue 17): ConnectWise PSA and Autotask connections, customer and product mappings, and the sync of the
// approved invoices into agreements/contracts. Reads billing through its door; publishes psa-sync.completed and
// psa-sync.failed (the billing.psa-sync-* webhooks).
export { PsaSyncModule } from './psa-sync.module';
export * from './events';
