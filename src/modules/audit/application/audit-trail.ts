import type { AuditAction } from './audit-actions';

export interface AuditEntryInput {
  organizationId: string;
  // The staff user who acted, or null for the system (a scheduled job).
  actorUserId: string | null;
  actorName: string;
  // `module.verb`, e.g. `consent.granted`.
  action: AuditAction;
  // What it was done to, in words a partner admin recognises (e.g. the account's UPN).
  subject: string;
  outcome: 'success' | 'failure';
  detail?: string;
}

// Appends to the audit log inside the caller's transaction: the entry exists exactly when the change does.
export abstract class AuditTrail {
  abstract record(entry: AuditEntryInput): void;
}
