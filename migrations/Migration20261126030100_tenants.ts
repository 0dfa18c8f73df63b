import { Migration } from '@mikro-orm/migrations';

// The tenants module's tables (customer tenants, import runs and their per-tenant progress).
export class Migration20261126030100_tenants extends Migration {
  override async up(): Promise<void> {
    // One row per customer tenant of an organization, kept (marked removed) when it disappears from Partner Center.
    // `changed_at` moves only when what Partner Center or Graph says about the tenant changes; `*_read_at` record
    // when it was last read.
    this.addSql(`create table "customer_tenants" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delegated_admin_id" uuid not null,
      "tenant_id" uuid not null,
      "company_name" text not null,
      "domain" text not null,
      "relationship" text not null,
      "status" text not null check ("status" in ('active', 'removed')),
      "removed_at" timestamptz null,
      "gdap_status" text not null default 'unknown' check ("gdap_status" in ('ok', 'missing_roles', 'expired', 'no_gdap', 'unknown')),
      "gdap_missing_roles" text[] not null default '{}',
      "gdap_detail" jsonb null,
      "purchased" integer null,
      "assigned" integer null,
      "has_unassigned_seats" boolean not null default false,
      "last_error" text null,
      "created_at" timestamptz not null,
      "changed_at" timestamptz not null,
      "listed_at" timestamptz not null,
      "licences_read_at" timestamptz null,
      "gdap_read_at" timestamptz null,
      constraint "customer_tenants_organization_tenant_unique" unique ("organization_id", "tenant_id")
    )`);
    this.addSql(
      `create index "customer_tenants_organization_company_index" on "customer_tenants" ("organization_id", lower("company_name"))`,
    );
    this.addSql(
      `create index "customer_tenants_delegated_admin_index" on "customer_tenants" ("organization_id", "delegated_admin_id", "status")`,
    );
    // An import of one delegated admin's customers: listed first, then every tenant read.
    this.addSql(`create table "import_runs" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "delegated_admin_id" uuid not null,
      "trigger" text not null,
      "status" text not null check ("status" in ('listing', 'reading', 'completed', 'failed')),
      "total" integer not null default 0,
      "done" integer not null default 0,
      "failed" integer not null default 0,
      "error" text null,
      "started_at" timestamptz not null,
      "listed_at" timestamptz null,
      "finished_at" timestamptz null,
      "heartbeat_at" timestamptz not null
    )`);
    // At most one unfinished import per delegated admin.
    this.addSql(
      `create unique index "import_runs_one_running_index" on "import_runs" ("organization_id", "delegated_admin_id") where "status" in ('listing', 'reading')`,
    );
    this.addSql(`create index "import_runs_organization_index" on "import_runs" ("organization_id", "started_at" desc)`);
    // Each tenant of a run: pending → recording (licences sent to licensing) → done, or failed with the reason.
    this.addSql(`create table "import_run_tenants" (
      "run_id" uuid not null references "import_runs" ("id") on delete cascade,
      "organization_id" uuid not null,
      "tenant_id" uuid not null,
      "status" text not null check ("status" in ('pending', 'recording', 'done', 'failed')),
      "reason" text null,
      "finished_at" timestamptz null,
      primary key ("run_id", "tenant_id")
    )`);
    this.addSql(`create index "import_run_tenants_pending_index" on "import_run_tenants" ("run_id") where "status" = 'pending'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "import_run_tenants"');
    this.addSql('drop table if exists "import_runs"');
    this.addSql('drop table if exists "customer_tenants"');
  }
}
