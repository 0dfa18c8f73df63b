import { EntitySchema } from '@mikro-orm/core';

export class OutboxMessage {
  id: string;
  organizationId: string;
  eventName: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
  publishedAt: Date | null;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox_messages',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    eventName: { type: 'text' },
    payload: { type: 'json' },
    occurredAt: { type: 'datetime' },
    publishedAt: { type: 'datetime', nullable: true },
  },
});
