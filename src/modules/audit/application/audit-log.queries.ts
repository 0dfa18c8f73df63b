import type { AuditEntryInput } from './audit-trail';

export interface AuditEntryView extends AuditEntryInput {
  id: string;
  occurredAt: Date;
}

// The audit log page: newest first, one page at a time, always within one organization.
export abstract class AuditLogQueries {
  abstract page(organizationId: string, page: number, pageSize: number): Promise<{ entries: AuditEntryView[]; total: number }>;
}
