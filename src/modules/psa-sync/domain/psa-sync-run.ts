import type { LineOutcome } from './psa-write-plan';

export type SyncTrigger = 'reconciliation' | 'sync-now' | 'dry-run';
// stopped: its job ran out of retries (the PSA kept failing or could not be reached); the next run starts over.
export type SyncRunStatus = 'running' | 'completed' | 'failed' | 'dry-run' | 'stopped';

// A run still 'running' this long after it started has no job left working on it.
export const STALE_RUN_HOURS = 6;
export type TenantSyncStatus = 'synced' | 'unchanged' | 'failed' | 'not-mapped' | 'planned';

// One product line of one tenant in a run: what the PSA held, what Sync 365 wrote (or would write), the PSA's answer.
export interface SyncLineResult {
  productName: string;
  psaProductId: string;
  before: number;
  after: number;
  outcome: LineOutcome;
  writes: string[]; // the writes, in words ("change addition 1234 quantity to 12")
  answer: string; // the PSA's answer, or the problem
}

export interface TenantSyncResult {
  tenantId: string;
  companyName: string;
  status: TenantSyncStatus;
  message: string; // what happened, or the PSA's refusal
  fix: string | null;
  lines: SyncLineResult[];
}

export interface SyncRun {
  id: string;
  organizationId: string;
  psaKind: string;
  trigger: SyncTrigger;
  triggeredBy: string;
  status: SyncRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  tenants: number;
  changedLines: number;
  failedTenants: number;
}

export function runStatusOf(results: readonly TenantSyncResult[], dryRun: boolean): SyncRunStatus {
  if (dryRun) return 'dry-run';
  return results.some((r) => r.status === 'failed') ? 'failed' : 'completed';
}
