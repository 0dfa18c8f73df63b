import { Migration } from '@mikro-orm/migrations';

export class Migration20261127020000_webhooks extends Migration {
  override async up(): Promise<void> {
    // A partner's receiver of signed events (Settings → Webhooks). The signing secret is stored only encrypted
    // (AES-256-GCM, bound to the row id), because every delivery needs it in clear to sign.
    this.addSql(`create table "webhook_endpoints" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "url" text not null,
      "events" text[] not null,
      "secret_ciphertext" text not null,
      "created_at" timestamptz not null,
      "created_by_user_id" uuid not null,
      "created_by_name" text not null,
      "secret_rotated_at" timestamptz null
    )`);
    this.addSql(`create index "webhook_endpoints_organization_idx" on "webhook_endpoints" ("organization_id", "created_at")`);
    // One event to one endpoint: the exact body sent, where it stands and what the last attempt came to. The
    // table is the truth a restart resumes from; the job queue only makes attempts happen on time.
    this.addSql(`create table "webhook_deliveries" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "endpoint_id" uuid not null references "webhook_endpoints" ("id") on delete cascade deferrable initially deferred,
      "event_id" uuid not null,
      "event_type" text not null,
      "body" text not null,
      "state" text not null check ("state" in ('pending', 'retrying', 'delivered', 'failed')),
      "attempts" integer not null default 0,
      "next_attempt_at" timestamptz null,
      "lease_until" timestamptz null,
      "last_attempt_at" timestamptz null,
      "last_status" integer null,
      "last_error" text null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null,
      "requested_by_name" text null,
      "redelivery_of" uuid null
    )`);
    this.addSql(`create index "webhook_deliveries_log_idx" on "webhook_deliveries" ("organization_id", "endpoint_id", "created_at" desc)`);
    this.addSql(
      `create index "webhook_deliveries_due_idx" on "webhook_deliveries" ("next_attempt_at") where "state" in ('pending', 'retrying')`,
    );
    // Every attempt: when, the HTTP status or the error, how long it took, the start of the answer.
    this.addSql(`create table "webhook_delivery_attempts" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delivery_id" uuid not null references "webhook_deliveries" ("id") on delete cascade deferrable initially deferred,
      "attempt" integer not null,
      "attempted_at" timestamptz not null,
      "status" integer null,
      "error" text null,
      "duration_ms" integer not null,
      "response_excerpt" text null,
      primary key ("delivery_id", "attempt")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "webhook_delivery_attempts"');
    this.addSql('drop table if exists "webhook_deliveries"');
    this.addSql('drop table if exists "webhook_endpoints"');
  }
}
