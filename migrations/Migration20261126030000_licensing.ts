import { Migration } from '@mikro-orm/migrations';

// The licensing module's tables (licences per tenant × SKU, subscriptions, when each tenant was last read).
export class Migration20261126030000_licensing extends Migration {
  override async up(): Promise<void> {
    // One row per (organization, customer tenant, SKU) as Partner Center last reported it. A re-read that says the
    // same leaves the row alone: `changed_at` is when the counts or status last changed.
    this.addSql(`create table "tenant_licences" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "sku_id" text not null,
      "sku_part_number" text not null,
      "partner_center_name" text null,
      "capability_status" text not null,
      "active_units" integer not null,
      "warning_units" integer not null,
      "suspended_units" integer not null,
      "consumed_units" integer not null,
      "changed_at" timestamptz not null,
      constraint "tenant_licences_organization_tenant_sku_unique" unique ("organization_id", "tenant_id", "sku_id")
    )`);
    // A Partner Center subscription, once per organization, with every field the import reads.
    this.addSql(`create table "tenant_subscriptions" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "subscription_id" text not null,
      "offer_id" text not null,
      "offer_name" text not null,
      "friendly_name" text null,
      "quantity" integer not null,
      "unit_type" text null,
      "term_duration" text null,
      "billing_cycle" text not null,
      "status" text not null,
      "auto_renew_enabled" boolean not null,
      "is_trial" boolean not null,
      "creation_date" timestamptz null,
      "effective_start_date" timestamptz null,
      "commitment_end_date" timestamptz null,
      "cancellation_allowed_until_date" timestamptz null,
      "changed_at" timestamptz not null,
      constraint "tenant_subscriptions_organization_subscription_unique" unique ("organization_id", "subscription_id")
    )`);
    this.addSql(`create index "tenant_subscriptions_organization_tenant_index" on "tenant_subscriptions" ("organization_id", "tenant_id")`);
    // When each tenant's licences were last read: the only row a read with nothing new writes.
    this.addSql(`create table "tenant_licence_reads" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "read_at" timestamptz not null,
      primary key ("organization_id", "tenant_id")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "tenant_licence_reads"');
    this.addSql('drop table if exists "tenant_subscriptions"');
    this.addSql('drop table if exists "tenant_licences"');
  }
}
