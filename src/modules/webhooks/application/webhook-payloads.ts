import type { ImportFinishedPayload } from '../../tenants/events';

// An import of thousands of tenants would make a body of megabytes; partners get the counts and the tenants
// that failed (those they act on), up to this many, with how many more there were.
export const MAX_FAILED_TENANTS = 500;

export interface ImportFinishedData {
  importRunId: string;
  delegatedAdminId: string;
  trigger: string;
  status: 'completed' | 'failed';
  error: string | null;
  startedAt: string;
  finishedAt: string;
  tenantsTotal: number;
  tenantsRead: number;
  tenantsFailed: number;
  failedTenants: { tenantId: string; companyName: string; reason: string | null }[];
  failedTenantsOmitted: number;
}

export function importFinishedData(payload: ImportFinishedPayload): ImportFinishedData {
  const failed = payload.tenants.filter((t) => !t.read);
  return {
    importRunId: payload.importRunId,
    delegatedAdminId: payload.delegatedAdminId,
    trigger: payload.trigger,
    status: payload.status,
    error: payload.error,
    startedAt: payload.startedAt,
    finishedAt: payload.finishedAt,
    tenantsTotal: payload.tenants.length,
    tenantsRead: payload.tenants.length - failed.length,
    tenantsFailed: failed.length,
    failedTenants: failed.slice(0, MAX_FAILED_TENANTS).map((t) => ({ tenantId: t.tenantId, companyName: t.companyName, reason: t.reason })),
    failedTenantsOmitted: Math.max(0, failed.length - MAX_FAILED_TENANTS),
  };
}
