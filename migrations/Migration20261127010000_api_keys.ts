import { Migration } from '@mikro-orm/migrations';

export class Migration20261127010000_api_keys extends Migration {
  override async up(): Promise<void> {
    // Keys partners' systems use to call the partner API (/api/v1). The clear key is shown once at creation;
    // only the SHA-256 hash of its secret part is kept. Revoked keys stay, for the list and the audit log.
    this.addSql(`create table "api_keys" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "public_id" text not null unique,
      "secret_hash" text not null,
      "name" text not null,
      "scopes" text[] not null check (cardinality("scopes") > 0),
      "created_at" timestamptz not null,
      "created_by_user_id" uuid not null,
      "created_by_name" text not null,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null,
      "revoked_by_user_id" uuid null,
      "revoked_by_name" text null
    )`);
    this.addSql(`create index "api_keys_organization_index" on "api_keys" ("organization_id", "created_at" desc)`);
    // Requests per key per clock minute, shared by every app instance (the per-key rate limit).
    this.addSql(`create table "api_key_request_counts" (
      "api_key_id" uuid not null references "api_keys" ("id") on delete cascade deferrable initially deferred,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "window_start" timestamptz not null,
      "count" integer not null,
      primary key ("api_key_id", "window_start")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "api_key_request_counts"');
    this.addSql('drop table if exists "api_keys"');
  }
}
