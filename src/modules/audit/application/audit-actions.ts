// Every action the audit log can record, and how Settings → Audit log says it. AuditEntryInput.action is typed
// from this list, so an action without words does not compile (and audit-actions.spec.ts finds any that slip by).
export const AUDIT_ACTION_WORDS = {
  'accounts.api-key-created': 'API key created',
  'accounts.api-key-revoked': 'API key revoked',
  'accounts.person-invited': 'Colleague invited',
  'accounts.invitation-withdrawn': 'Invitation withdrawn',
  'accounts.invitation-accepted': 'Invitation accepted (first sign-in)',
  'accounts.role-changed': 'Role changed',
  'accounts.person-removed': 'Person removed',
  'consent.granted': 'Partner Center consent granted',
  'consent.regranted': 'Partner Center consent granted again',
  'consent.grant-refused': 'Partner Center consent refused',
  'consent.removed': 'Delegated admin removed',
  'consent.partner-center-accepted': 'Partner Center accepted the account',
  'consent.partner-center-refused': 'Partner Center refused the account',
  'consent.reconsent-needed': 'Consent needs to be granted again',
  'direct-csp.tested': 'Direct CSP permissions tested',
  'direct-csp.portal-enabled': 'Licence portal switched on',
  'direct-csp.portal-disabled': 'Licence portal switched off',
  'licensing.exclusion-added': 'Discrepancy exclusion added',
  'licensing.exclusion-removed': 'Discrepancy exclusion removed',
  'licensing.schedule-changed': 'Reconciliation schedule changed',
  'licensing.reconciliation-requested': 'Reconciliation run started by hand',
  'portal.change-requested': 'Licence change requested in the portal',
  'portal.change-approved': 'Licence change approved',
  'portal.change-rejected': 'Licence change rejected',
  'portal.change-applied': 'Licence change made in Partner Center',
  'portal.change-scheduled': 'Licence change scheduled for renewal in Partner Center',
  'portal.change-pending': 'Licence change pending in Partner Center',
  'portal.change-unconfirmed': 'Licence change not yet confirmed by Partner Center',
  'portal.change-failed': 'Licence change refused by Partner Center',
  'portal.user-added': 'Licence portal user added',
  'portal.user-removed': 'Licence portal user removed',
  'portal.user-role-changed': 'Licence portal user’s permission changed',
  'tenants.app-provisioned': 'Sync 365 app added to the customer',
  'tenants.refresh-requested': 'All customers re-read from Microsoft by hand',
  'webhooks.endpoint-added': 'Webhook added',
  'webhooks.endpoint-removed': 'Webhook removed',
  'webhooks.secret-rotated': 'Webhook secret replaced',
  'webhooks.redelivered': 'Webhook delivery sent again',
  'webhooks.test-sent': 'Test webhook sent',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_WORDS;

// Words for an action; an unknown one (an entry written by an older or newer version) shows as it is stored.
export function auditActionWords(action: string): string {
  return (AUDIT_ACTION_WORDS as Record<string, string>)[action] ?? action;
}
