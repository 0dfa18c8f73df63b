import type { SyncRun, TenantSyncResult } from '../../domain/psa-sync-run';

const TRIGGERS: Record<string, string> = { reconciliation: 'After the reconciliation', 'sync-now': 'Sync now', 'dry-run': 'Dry run' };
const RUN_STATUS: Record<string, { label: string; badge: string }> = {
  running: { label: 'Running', badge: 'info' },
  completed: { label: 'Completed', badge: 'ok' },
  failed: { label: 'Some customers failed', badge: 'error' },
  'dry-run': { label: 'Dry run: nothing sent', badge: 'info' },
  stopped: { label: 'Stopped: the PSA kept failing', badge: 'error' },
};
const TENANT_STATUS: Record<string, { label: string; badge: string }> = {
  synced: { label: 'Synced', badge: 'ok' },
  unchanged: { label: 'Already right', badge: 'ok' },
  failed: { label: 'Failed', badge: 'error' },
  planned: { label: 'Planned', badge: 'info' },
  'not-mapped': { label: 'Not mapped', badge: 'warn' },
};
const OUTCOMES: Record<string, string> = {
  unchanged: 'No change',
  new: 'New line',
  increase: 'Increase',
  decrease: 'Decrease',
  removed: 'Removed',
  conflict: 'Conflict',
};

export function runView(run: SyncRun) {
  const status = RUN_STATUS[run.status] ?? { label: run.status, badge: 'info' };
  return {
    id: run.id,
    href: `/billing/psa-syncs/${run.id}`,
    trigger: TRIGGERS[run.trigger] ?? run.trigger,
    triggeredBy: run.triggeredBy,
    statusLabel: status.label,
    badge: status.badge,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    tenants: run.tenants,
    changedLines: run.changedLines,
    failedTenants: run.failedTenants,
  };
}

export function tenantResultView(result: TenantSyncResult) {
  const status = TENANT_STATUS[result.status] ?? { label: result.status, badge: 'info' };
  return {
    ...result,
    statusLabel: status.label,
    badge: status.badge,
    lines: result.lines.map((l) => ({
      ...l,
      outcomeLabel: OUTCOMES[l.outcome] ?? l.outcome,
      changed: l.before !== l.after,
      writesText: l.writes.join('; '),
    })),
  };
}
