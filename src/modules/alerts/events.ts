// The alerts module's integration events: names and payload types (no imports).

// An alert opened (a rule found a condition no open alert had) or resolved (the condition cleared).
export const ALERT_OPENED = 'alerts.alert-opened';
export const ALERT_RESOLVED = 'alerts.alert-resolved';

export interface AlertPayload {
  alertId: string;
  key: string;
  rule: string;
  severity: 'critical' | 'warning' | 'info';
  tenantId: string | null;
  tenantName: string | null;
  skuId: string | null;
  title: string;
  action: string;
  openedAt: string;
  // Set on alert.resolved.
  resolvedAt: string | null;
}
