import { Migration } from '@mikro-orm/migrations';

// Billing (issue 16): profiles, company mapping, the approved invoice per tenant, the approval queue, the latest
// preview per tenant (for "changed since" webhooks) and frozen month-end snapshots. Money is numeric, never float.
export class Migration20261208020000_billing extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "billing_settings" (
      "organization_id" uuid primary key references "organizations" ("id") on delete cascade,
      "currency" char(3) not null default 'USD',
      "auto_approve_increases" boolean not null default true,
      "approval_threshold" numeric(14,2) not null default 0,
      "baseline_recorded_at" timestamptz null,
      "updated_at" timestamptz not null default now(),
      "updated_by_name" text not null default ''
    )`);
    this.addSql(`create table "billing_profiles" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid null,
      "sku_id" text not null,
      "term_duration" text null,
      "billing_cycle" text null,
      "product_name" text not null,
      "product_code" text not null default '',
      "price_kind" text not null check ("price_kind" in ('fixed', 'cost-plus')),
      "unit_price" numeric(16,4) null,
      "markup_percent" numeric(9,4) null,
      "unit_cost" numeric(16,4) null,
      "charge" text not null check ("charge" in ('billable', 'non-billable', 'no-charge')),
      "quantity_rule" text not null check ("quantity_rule" in ('purchased', 'assigned', 'assigned-or-minimum')),
      "included_quantity" integer not null default 0 check ("included_quantity" >= 0),
      "minimum_quantity" integer not null default 0 check ("minimum_quantity" >= 0),
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "updated_by_name" text not null
    )`);
    // One profile per scope: the same SKU, customer, term and cycle cannot be priced twice.
    this.addSql(`create unique index "billing_profiles_scope_unique" on "billing_profiles"
      ("organization_id", coalesce("tenant_id", '00000000-0000-0000-0000-000000000000'::uuid), "sku_id", coalesce("term_duration", ''), coalesce("billing_cycle", ''))`);
    this.addSql(`create table "billing_accounts" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "account_name" text not null,
      "account_code" text not null default '',
      "status" text not null check ("status" in ('suggested', 'confirmed')),
      "suggested_because" text not null default '',
      "confirmed_at" timestamptz null,
      "confirmed_by_name" text null,
      primary key ("organization_id", "tenant_id")
    )`);
    this.addSql(`create table "billing_approved_lines" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "line_key" text not null,
      "sku_id" text not null,
      "product_name" text not null,
      "quantity" integer not null,
      "unit_price" numeric(16,4) not null,
      "amount" numeric(16,2) not null,
      "approved_at" timestamptz not null,
      "approved_by_name" text not null,
      primary key ("organization_id", "tenant_id", "line_key")
    )`);
    this.addSql(`create table "billing_approvals" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "line_key" text not null,
      "sku_id" text not null,
      "kind" text not null check ("kind" in ('new', 'increase', 'decrease', 'removed')),
      "before" jsonb null,
      "after" jsonb null,
      "delta" numeric(16,2) not null,
      "status" text not null check ("status" in ('pending', 'approved', 'rejected', 'withdrawn')),
      "created_at" timestamptz not null,
      "decided_at" timestamptz null,
      "decided_by_name" text null
    )`);
    // At most one change of a line waits at a time.
    this.addSql(
      `create unique index "billing_approvals_pending_unique" on "billing_approvals" ("organization_id", "tenant_id", "line_key") where "status" = 'pending'`,
    );
    this.addSql(`create index "billing_approvals_org_status_index" on "billing_approvals" ("organization_id", "status", "created_at")`);
    this.addSql(`create table "billing_tenant_totals" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "tenant_id" uuid not null,
      "total" numeric(16,2) not null,
      "fingerprint" text not null,
      "computed_at" timestamptz not null,
      primary key ("organization_id", "tenant_id")
    )`);
    this.addSql(`create table "billing_snapshots" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade,
      "period" char(7) not null,
      "currency" char(3) not null,
      "total" numeric(16,2) not null,
      "frozen_at" timestamptz not null,
      "frozen_by_name" text not null,
      unique ("organization_id", "period")
    )`);
    this.addSql(`create table "billing_snapshot_lines" (
      "snapshot_id" uuid not null references "billing_snapshots" ("id") on delete cascade,
      "organization_id" uuid not null,
      "position" integer not null,
      "tenant_id" uuid not null,
      "company_name" text not null,
      "account_name" text null,
      "sku_id" text not null,
      "microsoft_product" text not null,
      "product_name" text not null,
      "product_code" text null,
      "status" text not null,
      "purchased" integer not null,
      "assigned" integer not null,
      "quantity" integer not null,
      "unit_price" numeric(16,4) null,
      "amount" numeric(16,2) null,
      "why" text not null,
      "inputs" jsonb not null,
      primary key ("snapshot_id", "position")
    )`);
    // A frozen snapshot never changes: PostgreSQL refuses updates and deletes of its rows (only deleting the
    // organization removes them, through the cascade of the snapshot row, which the trigger lets through).
    this.addSql(`create function "billing_snapshot_immutable"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and not exists (select 1 from organizations where id = old.organization_id) then return old; end if;
        raise exception 'billing snapshots are frozen';
      end $$`);
    this.addSql(
      `create trigger "billing_snapshots_frozen" before update or delete on "billing_snapshots" for each row execute function "billing_snapshot_immutable"()`,
    );
    this.addSql(
      `create trigger "billing_snapshot_lines_frozen" before update or delete on "billing_snapshot_lines" for each row execute function "billing_snapshot_immutable"()`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "billing_snapshot_lines"');
    this.addSql('drop table if exists "billing_snapshots"');
    this.addSql('drop function if exists "billing_snapshot_immutable"()');
    this.addSql('drop table if exists "billing_tenant_totals"');
    this.addSql('drop table if exists "billing_approvals"');
    this.addSql('drop table if exists "billing_approved_lines"');
    this.addSql('drop table if exists "billing_accounts"');
    this.addSql('drop table if exists "billing_profiles"');
    this.addSql('drop table if exists "billing_settings"');
  }
}
