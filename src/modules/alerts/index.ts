// Alerts: rules evaluated over what the other modules expose (after every import's reconciliation, invoice-preview
// change, PSA sync and connection change, and hourly), the alert centre, mutes, and alert e-mail. Publishes alerts.alert-opened and
// alerts.alert-resolved; other modules add conditions through AlertConditionSources.
export { AlertsModule } from './alerts.module';
export * from './events';
export { AlertConditionSources, type AlertConditionSource } from './application/alert-condition-sources';
export type { AlertCondition } from './domain/alert-facts';
export type { AlertRuleId, AlertSeverity } from './domain/alert-rules';
