import type { DelegatedAdminSummary } from '../../../consent';
import type { TenantsSummary } from '../../application/tenant-queries';
import { isRunning, type ImportRun } from '../../domain/import-run';
import { LICENCES_UNREADABLE_LABEL } from './customer-list.view-model';

const STATUS = {
  active: { label: 'Active', tone: 'ok' },
  needs_reconsent: { label: 'Needs re-consent', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
} as const;

// Each connected Partner Center account with its status and, unless active, the fix (Re-grant is the Delegated
// Admin tab's own form; the reason says what happened).
export function connectionView(admin: DelegatedAdminSummary) {
  return {
    id: admin.id,
    accountUpn: admin.accountUpn,
    partnerDirectoryName: admin.partnerDirectoryName,
    statusLabel: STATUS[admin.status].label,
    statusTone: STATUS[admin.status].tone,
    status: admin.status,
    reason: admin.statusReason ?? null,
    needsFix: admin.status !== 'active',
  };
}

// The most recent import of any connected account: when it finished (or that it runs), how many tenants it read
// and how many could not be read, linking to that list.
export function lastImportView(runs: readonly ImportRun[], failedNow: number) {
  if (runs.length === 0) return null;
  const running = runs.filter(isRunning);
  const latest = [...runs].sort((a, b) => (b.finishedAt ?? b.startedAt).getTime() - (a.finishedAt ?? a.startedAt).getTime())[0];
  return {
    running: running.length > 0,
    progressDone: running.reduce((sum, r) => sum + r.done + r.failed, 0),
    progressTotal: running.reduce((sum, r) => sum + r.total, 0),
    // The latest import to finish (or, while none has, the one running).
    finishedAt: latest.finishedAt,
    read: latest.done,
    total: latest.total,
    failed: latest.failed,
    error: latest.error,
    // The failed list is the tenants that could not be read now (a retried tenant leaves it).
    failedNow,
    failedLink: '/customers?failed=1',
  };
}

export interface Alert {
  key: string;
  count: number;
  label: string;
  detail: string;
  href: string;
  tone: 'bad' | 'warn';
}

// Alerts worth acting on, with the list each number opens; only those with a count.
export function alertsView(summary: TenantsSummary): Alert[] {
  const alerts: Alert[] = [
    {
      key: 'failed',
      count: summary.failed,
      label: plural(summary.failed, 'tenant could not be read', 'tenants could not be read'),
      detail: 'Each says why; Retry reads it again.',
      href: '/customers?failed=1',
      tone: 'bad',
    },
    {
      key: 'over-assigned',
      count: summary.overAssigned,
      label: plural(summary.overAssigned, 'customer is over-assigned', 'customers are over-assigned'),
      detail: `${summary.overAssignedSeats} ${plural(summary.overAssignedSeats, 'user holds', 'users hold')} a licence nobody pays for.`,
      href: '/customers?overAssigned=1',
      tone: 'bad',
    },
    {
      key: 'licences-unreadable',
      count: summary.licencesUnreadable,
      label: plural(summary.licencesUnreadable, 'customer’s licences are not readable', 'customers’ licences are not readable'),
      detail: `${LICENCES_UNREADABLE_LABEL}: give the service account’s group a licence-reading role in the customer’s GDAP relationship.`,
      href: '/customers?unreadable=1',
      tone: 'warn',
    },
    {
      key: 'app-not-set-up',
      count: summary.appNotSetUp,
      label: plural(summary.appNotSetUp, 'customer does not have Sync 365 set up', 'customers do not have Sync 365 set up'),
      detail: 'Their own subscriptions cannot be read; each customer says how to fix it.',
      href: '/customers?access=app_not_provisioned',
      tone: 'warn',
    },
    {
      key: 'blocked-by-policy',
      count: summary.blockedByPolicy,
      label: plural(summary.blockedByPolicy, 'customer’s policy blocks Sync 365', 'customers’ policies block Sync 365'),
      detail: 'Their Conditional Access refuses service-provider accounts.',
      href: '/customers?access=conditional_access',
      tone: 'warn',
    },
  ];
  return alerts.filter((a) => a.count > 0);
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
