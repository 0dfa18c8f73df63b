import { Migration } from '@mikro-orm/migrations';

export class Migration20261126010100_integration_events extends Migration {
  override async up(): Promise<void> {
    // Integration events are written here in the same transaction as the state change that caused them; the
    // relay then hands each one to the job queue, once per subscribed handler (at-least-once delivery).
    this.addSql(`create table "outbox_messages" (
      "id" uuid primary key,
      "organization_id" uuid not null,
      "event_name" text not null,
      "payload" jsonb not null,
      "occurred_at" timestamptz not null,
      "published_at" timestamptz null
    )`);
    this.addSql(`create index "outbox_messages_unpublished_index" on "outbox_messages" ("occurred_at") where "published_at" is null`);
    // Handlers are idempotent by event id: a redelivered event finds its row here and is skipped.
    this.addSql(`create table "processed_events" (
      "event_id" uuid not null,
      "handler" text not null,
      "processed_at" timestamptz not null,
      primary key ("event_id", "handler")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "processed_events"');
    this.addSql('drop table if exists "outbox_messages"');
  }
}
