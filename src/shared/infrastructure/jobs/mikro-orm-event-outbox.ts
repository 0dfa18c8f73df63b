import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventOutbox, type IntegrationEvent } from '../../application/integration-event';
import { boundSql } from '../database/raw-sql';
import { OutboxMessage } from './outbox-message.schema';

// Events per statement in publishAll.
const BATCH = 2000;

// Persists the event with the caller's unit of work: it commits (or rolls back) with the state change.
@Injectable()
export class MikroOrmEventOutbox extends EventOutbox {
  constructor(private readonly em: EntityManager) {
    super();
  }

  publish(event: IntegrationEvent<object>): void {
    const message = new OutboxMessage();
    message.id = event.id;
    message.organizationId = event.organizationId;
    message.eventName = event.name;
    message.payload = event.payload as Record<string, unknown>;
    message.occurredAt = new Date(event.occurredAt);
    message.publishedAt = null;
    this.em.persist(message);
  }

  // Inserted at once in the caller's transaction, a few thousand per statement (30,000 entities in the unit of work
  // took seconds to flush at commit, and their change sets hundreds of MB), in the order given. The relay still sees
  // them only once the transaction commits, and orders them by occurred_at as any other.
  override async publishAll(events: readonly IntegrationEvent<object>[]): Promise<void> {
    for (let start = 0; start < events.length; start += BATCH) {
      const rows = events.slice(start, start + BATCH).map((event) => ({
        id: event.id,
        organization_id: event.organizationId,
        event_name: event.name,
        payload: event.payload,
        occurred_at: event.occurredAt,
      }));
      await boundSql(
        this.em,
        `insert into outbox_messages (id, organization_id, event_name, payload, occurred_at, published_at)
         select id, organization_id, event_name, payload, occurred_at, null
         from json_to_recordset(?::json) as r(id uuid, organization_id uuid, event_name text, payload jsonb, occurred_at timestamptz)`,
        [JSON.stringify(rows)],
      );
    }
  }
}

// One event's outbox row as an INSERT … SELECT, for a statement that writes a state change and its event together (in a
// WITH clause): `onlyIf` a condition on the statement's other parts. The row is the one publish() writes, so the relay
// reads it the same.
export function outboxInsert(event: IntegrationEvent<object>, onlyIf = 'true'): { sql: string; params: unknown[] } {
  return {
    sql: `insert into outbox_messages (id, organization_id, event_name, payload, occurred_at, published_at) select ?, ?, ?, ?::jsonb, ?, null where ${onlyIf}`,
    params: [event.id, event.organizationId, event.name, JSON.stringify(event.payload), new Date(event.occurredAt)],
  };
}
