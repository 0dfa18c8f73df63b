import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
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
    const entry = Object.assign(new AuditEntry(), { ...input, id: randomUUID(), occurredAt: this.clock.now(), detail: input.detail ?? null });
    this.em.persist(entry);
  }

  // Newest first, one page at a time, always within one organization.
  async page(organizationId: string, page: number, pageSize: number): Promise<{ entries: AuditEntry[]; total: number }> {
    const [entries, total] = await this.em.findAndCount(AuditEntry, { organizationId }, { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize });
    return { entries, total };
  }
}
