import type { AlertRuleId, AlertSeverity } from './alert-rules';

// An alert as the alert centre lists it: opened when a rule first finds its condition, resolved by the first
// evaluation that no longer does. At most one open alert per key (a unique index), whichever instance evaluates.
export interface Alert {
  id: string;
  organizationId: string;
  key: string;
  rule: AlertRuleId;
  severity: AlertSeverity;
  tenantId: string | null;
  tenantName: string | null;
  skuId: string | null;
  title: string;
  action: string;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedByName: string | null;
}

export const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

export const SEVERITY_LABELS: Record<AlertSeverity, string> = { critical: 'Critical', warning: 'Warning', info: 'Notice' };
