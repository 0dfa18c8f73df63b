// pg-boss queues of the import. A run's jobs carry ids only; everything else is read from the database.
export const LIST_CUSTOMERS_QUEUE = 'tenants.list-customers';
export const READ_TENANT_QUEUE = 'tenants.read-tenant';
export const RESUME_IMPORTS_QUEUE = 'tenants.resume-imports';

export interface ListCustomersJob {
  organizationId: string;
  runId: string;
}

export interface ReadTenantJob {
  organizationId: string;
  runId: string;
  tenantId: string;
  // 1 for the first read; a tenant Microsoft is too busy for is read again a little later, a few times.
  attempt?: number;
  // When Microsoft first throttled this tenant's read in a row of throttled reads (ISO 8601).
  throttledSince?: string;
}

export const READ_ATTEMPTS = 3;
// A tenant Microsoft keeps throttling is read again after Microsoft's Retry-After, or this long without one.
export const THROTTLED_WAIT_SECONDS = 10;
// ... for as long as this: an import must end (the next one, and the daily reconciliation, wait for it), so a tenant
// throttled for hours on end is left for the next import, saying why.
export const THROTTLED_LIMIT_MS = 4 * 60 * 60 * 1000;

export const readTenantJob = (organizationId: string, runId: string, tenantId: string) => ({
  data: { organizationId, runId, tenantId } satisfies ReadTenantJob,
  singletonKey: `${runId}:${tenantId}`,
});

// Licences-recorded events (one per tenant) taken this many at a time by one worker: a batch is one statement and
// locks its run's counter row until its commit, so two workers with large batches keep that row least contended
// (eight workers of eight events waited 50-150 ms per batch for it: npm run bench:profile BENCH_PG_STATEMENTS=1).
export const IMPORT_EVENT_BATCH_SIZE = 25;
