import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { AuditLogQueries, type AuditEntryView } from '../application/audit-log.queries';
import { AuditTrail, type AuditEntryInput } from '../application/audit-trail';
import { AuditEntry } from './audit-entry.schema';

@Injectable()
export class MikroOrmAuditTrail extends AuditTrail {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {
    super();
  }

  record(input: AuditEntryInput): void {
    const entry = Object.assign(new AuditEntry(), {
      ...input,
      id: randomUUID(),
      occurredAt: this.clock.now(),
      detail: input.detail ?? null,
    });
    this.em.persist(entry);
  }
}

@Injectable()
export class MikroOrmAuditLogQueries extends AuditLogQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async page(organizationId: string, page: number, pageSize: number): Promise<{ entries: AuditEntryView[]; total: number }> {
    const [entries, total] = await this.em.findAndCount(
      AuditEntry,
      { organizationId },
      { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { entries: entries.map((e) => ({ ...e, detail: e.detail ?? undefined })), total };
  }
}
