import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000000_accounts extends Migration {
  override async up(): Promise<void> {
    // One organization per partner Entra directory.
    this.addSql(`create table "organizations" (
      "id" uuid primary key,
      "entra_tenant_id" uuid not null unique,
      "name" text not null,
      "created_at" timestamptz not null
    )`);
    // Staff users are keyed by Entra object id within their directory, never by UPN or email (FACTS.md §1.7).
    // Aggregates reference each other by id, so the ORM does not order inserts by foreign key: the check is
    // deferred to commit.
    this.addSql(`create table "staff_users" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "entra_object_id" uuid not null,
      "user_principal_name" text not null,
      "display_name" text not null,
      "email" text null,
      "created_at" timestamptz not null,
      "last_sign_in_at" timestamptz not null,
      constraint "staff_users_organization_object_unique" unique ("organization_id", "entra_object_id")
    )`);
    // connect-pg-simple's table (its own table.sql), created here so the schema has one source.
    this.addSql(`create table "session" (
      "sid" varchar not null primary key,
      "sess" json not null,
      "expire" timestamp(6) not null
    )`);
    this.addSql(`create index "session_expire_index" on "session" ("expire")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "session"');
    this.addSql('drop table if exists "staff_users"');
    this.addSql('drop table if exists "organizations"');
  }
}
