import type { Alert } from '../../domain/alert';
import { SEVERITY_LABELS } from '../../domain/alert';
import type { AlertMute } from '../../domain/alert-mute';
import { ALERT_RULES, ruleDefinition, type AlertRuleSettings } from '../../domain/alert-rules';

const BADGES = { critical: 'bad', warning: 'warn', info: 'neutral' } as const;

export function alertView(alert: Alert) {
  return {
    id: alert.id,
    severity: alert.severity,
    severityLabel: SEVERITY_LABELS[alert.severity],
    badge: BADGES[alert.severity],
    rule: ruleDefinition(alert.rule)?.label ?? alert.rule,
    tenantName: alert.tenantName,
    tenantHref: alert.tenantId ? `/tenants/${alert.tenantId}` : null,
    title: alert.title,
    action: alert.action,
    openedAt: alert.openedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    acknowledged: alert.acknowledgedAt ? { at: alert.acknowledgedAt.toISOString(), by: alert.acknowledgedByName } : null,
  };
}

export function muteView(mute: AlertMute, tenantNames: ReadonlyMap<string, string>) {
  const rule = mute.rule ? (ruleDefinition(mute.rule)?.label ?? mute.rule) : 'Every rule';
  const where = mute.tenantId ? (tenantNames.get(mute.tenantId.toLowerCase()) ?? 'one customer') : 'every customer';
  return {
    id: mute.id,
    scope: `${rule} · ${where}${mute.skuId ? ' · one product' : ''}`,
    reason: mute.reason,
    until: mute.until?.toISOString() ?? null,
    createdAt: mute.createdAt.toISOString(),
    createdByName: mute.createdByName,
  };
}

export function ruleRows(settings: AlertRuleSettings) {
  return ALERT_RULES.map((rule) => {
    const setting = settings.get(rule.id);
    return {
      id: rule.id,
      label: rule.label,
      description: rule.description,
      severityLabel: SEVERITY_LABELS[rule.severity],
      badge: BADGES[rule.severity],
      enabled: setting.enabled,
      threshold:
        rule.defaultThresholdDays === undefined
          ? null
          : { days: setting.thresholdDays ?? rule.defaultThresholdDays, label: rule.thresholdLabel },
      external: rule.external === true,
    };
  });
}
