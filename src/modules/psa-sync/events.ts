// PSA sync's integration events: names and payloads only (other modules import this door; no imports here).

// A sync run (daily after the reconciliation, or Sync now) finished and every mapped customer's agreement/contract
// in the PSA now bills what the approved invoice says. Dry runs publish nothing.
export const PSA_SYNC_COMPLETED = 'psa-sync.completed';

// A sync run finished with at least one customer the PSA refused (the others were synced): per failed tenant the
// PSA's message and what to do.
export const PSA_SYNC_FAILED = 'psa-sync.failed';

export interface PsaSyncFinishedPayload {
  runId: string;
  psa: string; // 'connectwise' | 'autotask'
  trigger: string; // 'reconciliation' | 'sync-now'
  tenants: number;
  changedLines: number;
  failedTenants: number;
  failures: { tenantId: string; companyName: string; message: string; fix: string | null }[];
}
