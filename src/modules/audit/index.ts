// Audit: the organization's audit log (Settings → Audit log). Other modules append through AuditTrail, inside
// their own transactions. Publishes no events.
export { AuditModule } from './audit.module';
export { AuditTrail, type AuditEntryInput } from './application/audit-trail';
export { AUDIT_ACTION_WORDS, auditActionWords, type AuditAction } from './application/audit-actions';
