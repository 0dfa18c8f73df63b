import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { EventOutbox, type IntegrationEvent } from '../../application/integration-event';
import { OutboxMessage } from './outbox-message.schema';

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
}
