import { Migration } from '@mikro-orm/migrations';

// The subscriptions in each customer tenant's own directory (Graph companySubscription), matched to the partner's
// Partner Center subscriptions by commerce subscription id, and whether the directory could be read last time.
export class Migration20261126040000_directory_subscriptions extends Migration {
  override async up(): Promise<void> {
    // One row per (organization, customer tenant, directory subscription) as Graph last reported it; a re-read
    // that says the same leaves the row alone.
    this.addSql(`create table "tenant_directory_subscriptions" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "directory_subscription_id" text not null,
      "commerce_subscription_id" text null,
      "sku_id" text not null,
      "sku_part_number" text not null,
      "status" text not null,
      "total_licenses" integer not null,
      "is_trial" boolean not null,
      "created_date_time" timestamptz null,
      "next_lifecycle_date_time" timestamptz null,
      "changed_at" timestamptz not null,
      constraint "tenant_directory_subscriptions_organization_tenant_subscription_unique" unique ("organization_id", "tenant_id", "directory_subscription_id")
    )`);
    // When the directory was last read, and why the latest attempt since could not read it (no usable GDAP).
    this.addSql(`alter table "tenant_licence_reads"
      add column "directory_read_at" timestamptz null,
      add column "directory_failure" text null,
      add column "directory_failed_at" timestamptz null,
      add constraint "tenant_licence_reads_directory_failure_check" check (("directory_failure" is null) = ("directory_failed_at" is null))`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tenant_licence_reads"
      drop constraint if exists "tenant_licence_reads_directory_failure_check",
      drop column if exists "directory_failed_at",
      drop column if exists "directory_failure",
      drop column if exists "directory_read_at"`);
    this.addSql('drop table if exists "tenant_directory_subscriptions"');
  }
}
