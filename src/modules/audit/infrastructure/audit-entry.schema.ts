import { EntitySchema } from '@mikro-orm/core';

export class AuditEntry {
  id: string;
  organizationId: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string;
  action: string;
  subject: string;
  outcome: 'success' | 'failure';
  detail: string | null;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  tableName: 'audit_entries',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    occurredAt: { type: 'datetime' },
    actorUserId: { type: 'uuid', nullable: true },
    actorName: { type: 'text' },
    action: { type: 'text' },
    subject: { type: 'text' },
    outcome: { type: 'text' },
    detail: { type: 'text', nullable: true },
  },
});
