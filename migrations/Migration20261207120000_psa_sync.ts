import { Migration } from '@mikro-orm/migrations';

// PSA sync (issue 17): the organization's PSA connection (credentials encrypted), the confirmed mappings of customer
// tenants to PSA agreements/contracts and of billing products to PSA products/services, and the history of sync runs
// per tenant and line.
export class Migration20261207120000_psa_sync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "psa_connections" (
      "organization_id" uuid primary key references "organizations" ("id") on delete cascade,
      "kind" text not null check ("kind" in ('connectwise', 'autotask')),
      "label" text not null,
      "credentials_ciphertext" text not null,
      "connected_at" timestamptz not null,
      "connected_by_name" text not null
    )`);
    this.addSql(`create table "psa_tenant_mappings" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "company_id" text not null,
      "company_name" text not null,
      "agreement_id" text not null,
      "agreement_name" text not null,
      "confirmed_at" timestamptz not null,
      "confirmed_by_name" text not null,
      primary key ("organization_id", "tenant_id")
    )`);
    this.addSql(`create table "psa_product_mappings" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "product_key" text not null,
      "psa_product_id" text not null,
      "psa_product_name" text not null,
      "confirmed_at" timestamptz not null,
      "confirmed_by_name" text not null,
      primary key ("organization_id", "product_key")
    )`);
    this.addSql(`create table "psa_sync_runs" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "psa_kind" text not null,
      "trigger" text not null check ("trigger" in ('reconciliation', 'sync-now', 'dry-run')),
      "triggered_by" text not null,
      "status" text not null check ("status" in ('running', 'completed', 'failed', 'dry-run', 'stopped')),
      "started_at" timestamptz not null,
      "finished_at" timestamptz null,
      "tenants" integer not null default 0,
      "changed_lines" integer not null default 0,
      "failed_tenants" integer not null default 0
    )`);
    this.addSql(`create index "psa_sync_runs_organization" on "psa_sync_runs" ("organization_id", "started_at" desc)`);
    this.addSql(`create table "psa_sync_tenant_results" (
      "run_id" uuid not null references "psa_sync_runs" ("id") on delete cascade,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "company_name" text not null,
      "status" text not null,
      "message" text not null,
      "fix" text null,
      "lines" jsonb not null default '[]',
      "position" serial,
      primary key ("run_id", "tenant_id")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "psa_sync_tenant_results"');
    this.addSql('drop table if exists "psa_sync_runs"');
    this.addSql('drop table if exists "psa_product_mappings"');
    this.addSql('drop table if exists "psa_tenant_mappings"');
    this.addSql('drop table if exists "psa_connections"');
  }
}
