import { Migration } from '@mikro-orm/migrations';

// The licensing reconciliation: one run per finished import of a delegated admin's customers, its snapshot (per
// tenant × SKU and per subscription), the changes since the previous run, the discrepancies, exclusions, the
// month-end snapshots kept for billing, and each organization's schedule.
export class Migration20261126060000_reconciliation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "reconciliation_runs" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delegated_admin_id" uuid not null,
      "import_run_id" uuid not null unique,
      "trigger" text not null,
      "started_at" timestamptz not null,
      "finished_at" timestamptz not null,
      "tenants_read" integer not null,
      "tenants_failed" integer not null,
      "changes" integer not null,
      "open_discrepancies" integer not null,
      "error" text null
    )`);
    this.addSql(`create index "reconciliation_runs_org_idx" on "reconciliation_runs" ("organization_id", "finished_at" desc)`);
    this.addSql(
      `create index "reconciliation_runs_admin_idx" on "reconciliation_runs" ("organization_id", "delegated_admin_id", "finished_at" desc)`,
    );
    // Snapshot rows are written once with their run and never changed (a trigger refuses updates): any past
    // day can be shown, and a month-end snapshot stays what was billed.
    this.addSql(`create table "reconciliation_tenants" (
      "run_id" uuid not null references "reconciliation_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "tenant_id" uuid not null,
      "company_name" text not null,
      "read" boolean not null,
      "failure_reason" text null,
      primary key ("run_id", "tenant_id")
    )`);
    this.addSql(`create index "reconciliation_tenants_tenant_idx" on "reconciliation_tenants" ("organization_id", "tenant_id")`);
    this.addSql(`create table "licence_snapshots" (
      "run_id" uuid not null references "reconciliation_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "tenant_id" uuid not null,
      "sku_id" text not null,
      "sku_part_number" text not null,
      "product_name" text not null,
      "purchased" integer not null,
      "assigned" integer not null,
      "available" integer not null,
      "suspended" integer not null,
      "warning" integer not null,
      "partner_center_quantity" integer null,
      "sold_by_you" boolean null,
      "free" boolean not null,
      primary key ("run_id", "tenant_id", "sku_id")
    )`);
    this.addSql(`create index "licence_snapshots_tenant_idx" on "licence_snapshots" ("organization_id", "tenant_id")`);
    this.addSql(`create table "subscription_snapshots" (
      "run_id" uuid not null references "reconciliation_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "tenant_id" uuid not null,
      "subscription_id" text not null,
      "sku_id" text null,
      "offer_name" text not null,
      "quantity" integer not null,
      "tenant_units" integer null,
      "billing_cycle" text not null,
      "term_duration" text null,
      "status" text not null,
      "auto_renew_enabled" boolean not null,
      "is_trial" boolean not null,
      "commitment_end_date" timestamptz null,
      "cancellation_allowed_until_date" timestamptz null,
      primary key ("run_id", "subscription_id")
    )`);
    this.addSql(`create table "licensing_changes" (
      "id" uuid primary key,
      "run_id" uuid not null references "reconciliation_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "tenant_id" uuid not null,
      "kind" text not null,
      "sku_id" text null,
      "subscription_id" text null,
      "before" text null,
      "after" text null,
      "delta" integer null,
      "summary" text not null,
      "occurred_at" timestamptz not null
    )`);
    this.addSql(`create index "licensing_changes_org_idx" on "licensing_changes" ("organization_id", "occurred_at" desc, "id")`);
    this.addSql(`create index "licensing_changes_tenant_idx" on "licensing_changes" ("organization_id", "tenant_id", "occurred_at" desc)`);
    this.addSql(`create table "discrepancies" (
      "run_id" uuid not null references "reconciliation_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "key" text not null,
      "kind" text not null,
      "tenant_id" uuid not null,
      "sku_id" text null,
      "subscription_id" text null,
      "severity" text not null,
      "title" text not null,
      "explanation" text not null,
      "action" text not null,
      "act_by" timestamptz null,
      "figures" jsonb not null,
      "silenced_by" uuid null,
      primary key ("run_id", "key")
    )`);
    this.addSql(`create table "licensing_exclusions" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid null,
      "sku_id" text null,
      "rule" text not null check ("rule" in ('ignore', 'keep-spare')),
      "spare" integer null,
      "reason" text not null,
      "created_at" timestamptz not null,
      "created_by_name" text not null,
      check ("tenant_id" is not null or "sku_id" is not null)
    )`);
    // The last run of each calendar month (organization time zone), per delegated admin: what was billed.
    this.addSql(`create table "month_end_snapshots" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delegated_admin_id" uuid not null,
      "month" text not null,
      "run_id" uuid not null references "reconciliation_runs" ("id"),
      "frozen_at" timestamptz not null,
      primary key ("organization_id", "delegated_admin_id", "month")
    )`);
    this.addSql(`create table "reconciliation_schedules" (
      "organization_id" uuid primary key references "organizations" ("id") on delete cascade deferrable initially deferred,
      "time_zone" text not null default 'UTC',
      "run_at" text not null default '02:00',
      "last_scheduled_on" text null
    )`);
    this.addSql(`create function "refuse_snapshot_update"() returns trigger language plpgsql as $$
      begin raise exception 'reconciliation snapshots are immutable (%.%)', TG_TABLE_NAME, TG_OP; end $$`);
    for (const table of ['reconciliation_tenants', 'licence_snapshots', 'subscription_snapshots', 'month_end_snapshots']) {
      this.addSql(
        `create trigger "${table}_immutable" before update on "${table}" for each row execute function "refuse_snapshot_update"()`,
      );
    }
  }
}
