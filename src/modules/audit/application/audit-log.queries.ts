import type { AuditEntryInput } from './audit-trail';

// Stored entries keep the action as written (an older version may have written one no longer recorded).
export interface AuditEntryView extends Omit<AuditEntryInput, 'action'> {
  action: string;
  id: string;
  occurredAt: Date;
}

// The audit log page: newest first, one page at a time, always within one organization.
export abstract class AuditLogQueries {
  abstract page(organizationId: string, page: number, pageSize: number): Promise<{ entries: AuditEntryView[]; total: number }>;
}
