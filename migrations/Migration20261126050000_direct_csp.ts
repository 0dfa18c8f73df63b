import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050000_direct_csp extends Migration {
  override async up(): Promise<void> {
    // The partner type detected after consent, and the Direct CSP confirmation (who, when, on what evidence).
    this.addSql(`alter table "delegated_admins"
      add column "partner_type" text null check ("partner_type" in ('direct', 'indirect_provider', 'indirect_reseller')),
      add column "partner_type_detail" text null,
      add column "partner_type_detected_at" timestamptz null,
      add column "direct_csp_confirmed_at" timestamptz null,
      add column "direct_csp_confirmed_by_user_id" uuid null,
      add column "direct_csp_confirmed_by_name" text null,
      add column "direct_csp_evidence" text null`);
    // Every Direct CSP test a partner admin ran, with what Partner Center answered: the history behind the flag.
    this.addSql(`create table "direct_csp_tests" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delegated_admin_id" uuid not null references "delegated_admins" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "tenant_name" text not null,
      "outcome" text not null check ("outcome" in ('confirmed', 'indirect_reseller', 'indirect_provider', 'failed')),
      "reason" text not null,
      "evidence" jsonb not null,
      "tested_by_user_id" uuid not null,
      "tested_by_name" text not null,
      "tested_at" timestamptz not null
    )`);
    this.addSql(
      `create index "direct_csp_tests_admin_idx" on "direct_csp_tests" ("organization_id", "delegated_admin_id", "tested_at" desc)`,
    );
    // The end-user self-service portal switch of a customer tenant (a charged add-on for Direct CSP partners).
    this.addSql(`create table "tenant_portal_settings" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "enabled" boolean not null,
      "changed_at" timestamptz not null,
      "changed_by_user_id" uuid not null,
      "changed_by_name" text not null,
      primary key ("organization_id", "tenant_id")
    )`);
  }
}
