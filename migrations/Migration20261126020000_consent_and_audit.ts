import { Migration } from '@mikro-orm/migrations';

export class Migration20261126020000_consent_and_audit extends Migration {
  override async up(): Promise<void> {
    // A connected Partner Center account of an organization. One row per (organization, partner directory, account):
    // granting again with the same account updates the row.
    this.addSql(`create table "delegated_admins" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "partner_tenant_id" uuid not null,
      "partner_directory_name" text null,
      "account_object_id" uuid not null,
      "account_upn" text not null,
      "account_display_name" text not null,
      "status" text not null check ("status" in ('active', 'needs_reconsent', 'failed')),
      "status_reason" text null,
      "mfa_verified" boolean not null,
      "admin_agent_verified" boolean not null,
      "direct_csp" text not null default 'unknown' check ("direct_csp" in ('unknown', 'yes', 'no')),
      "granted_at" timestamptz not null,
      "granted_by_user_id" uuid null,
      "granted_by_name" text not null,
      "last_used_at" timestamptz null,
      "created_at" timestamptz not null,
      constraint "delegated_admins_account_unique" unique ("organization_id", "partner_tenant_id", "account_object_id")
    )`);
    // The refresh token lives apart from the aggregate: only the token vault reads it, always encrypted, and a
    // rotation is one UPDATE of one row.
    this.addSql(`create table "delegated_admin_tokens" (
      "delegated_admin_id" uuid primary key references "delegated_admins" ("id") on delete cascade deferrable initially deferred,
      "organization_id" uuid not null,
      "refresh_token_ciphertext" text not null,
      "rotated_at" timestamptz not null
    )`);
    // Who did what, when, with what outcome; any module appends through the audit module's contract.
    this.addSql(`create table "audit_entries" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "occurred_at" timestamptz not null,
      "actor_user_id" uuid null,
      "actor_name" text not null,
      "action" text not null,
      "subject" text not null,
      "outcome" text not null check ("outcome" in ('success', 'failure')),
      "detail" text null
    )`);
    this.addSql(`create index "audit_entries_organization_time_index" on "audit_entries" ("organization_id", "occurred_at" desc)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "audit_entries"');
    this.addSql('drop table if exists "delegated_admin_tokens"');
    this.addSql('drop table if exists "delegated_admins"');
  }
}
