import { Migration } from '@mikro-orm/migrations';

// Issue 13 (tenant reads): licences Partner Center would not list (no licence-reading GDAP role), who sold each
// directory subscription (Graph ownerTenantId), locked-out units, and Partner Center catalogue names of subscriptions.
export class Migration20261207030000_tenant_reads extends Migration {
  override async up(): Promise<void> {
    // Why the latest read could not list the tenant's licences; the licence rows then stay those of the last read
    // that could (never zeroed), and every page says they are not readable.
    this.addSql(`alter table "tenant_licence_reads"
      add column "licences_failure" text null,
      add column "licences_failed_at" timestamptz null,
      add constraint "tenant_licence_reads_licences_failure_check" check (("licences_failure" is null) = ("licences_failed_at" is null))`);
    // The customers list's copy (tenants module), and each reconciliation run's.
    this.addSql(`alter table "customer_tenants" add column "licences_unreadable" text null`);
    this.addSql(`alter table "reconciliation_tenants" add column "licences_unreadable" text null`);
    // Graph's ownerTenantId (the partner tenant that sold it) and whether that is the delegated admin's own tenant
    // (null: Graph did not say, as on rows read before this column existed).
    this.addSql(
      `alter table "tenant_directory_subscriptions" add column "owner_tenant_id" text null, add column "sold_by_you" boolean null`,
    );
    // Graph subscribedSkus prepaidUnits.lockedOut: cancelled units that cannot be reactivated.
    this.addSql(`alter table "tenant_licences" add column "locked_out_units" integer not null default 0`);
    this.addSql(`alter table "licence_snapshots" add column "locked_out" integer not null default 0`);
    // The subscription's catalogue SKU (links.sku) and the title Partner Center's catalogue gives it: stored with the
    // subscription, so names survive restarts and are there even when the catalogue cannot be asked.
    this.addSql(`alter table "tenant_subscriptions"
      add column "catalogue_product_id" text null,
      add column "catalogue_sku_id" text null,
      add column "catalogue_name" text null`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "tenant_subscriptions" drop column if exists "catalogue_name", drop column if exists "catalogue_sku_id", drop column if exists "catalogue_product_id"`,
    );
    this.addSql(`alter table "licence_snapshots" drop column if exists "locked_out"`);
    this.addSql(`alter table "tenant_licences" drop column if exists "locked_out_units"`);
    this.addSql(
      `alter table "tenant_directory_subscriptions" drop column if exists "sold_by_you", drop column if exists "owner_tenant_id"`,
    );
    this.addSql(`alter table "reconciliation_tenants" drop column if exists "licences_unreadable"`);
    this.addSql(`alter table "customer_tenants" drop column if exists "licences_unreadable"`);
    this.addSql(`alter table "tenant_licence_reads"
      drop constraint if exists "tenant_licence_reads_licences_failure_check",
      drop column if exists "licences_failed_at",
      drop column if exists "licences_failure"`);
  }
}
