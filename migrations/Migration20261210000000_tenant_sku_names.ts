import { Migration } from '@mikro-orm/migrations';

// Microsoft's catalogue title of each SKU a customer tenant's subscriptions are of (Partner Center GET
// /v1/products/{productId}/skus/{skuId}, FACTS.md §7a.8; a subscription is tied to its SKU by the directory
// subscription naming it), written by the licence recording. A page names a SKU from the index below, one probe per
// SKU shown: it joined every directory subscription of the organization to its subscription on each request
// (~150 ms p95 at 10,000 tenants). Per tenant, so recordings of different tenants never wait for each other's rows.
export class Migration20261210000000_tenant_sku_names extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "tenant_sku_names" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "sku_id" text not null,
      "name" text not null,
      primary key ("organization_id", "tenant_id", "sku_id")
    )`);
    this.addSql(`create index "tenant_sku_names_organization_sku_index" on "tenant_sku_names" ("organization_id", "sku_id", "name")`);
    // The names already stored with subscriptions.
    this.addSql(`insert into "tenant_sku_names" ("organization_id", "tenant_id", "sku_id", "name")
      select d.organization_id, d.tenant_id, lower(trim(d.sku_id)), min(s.catalogue_name)
      from tenant_directory_subscriptions d
      join tenant_subscriptions s on s.organization_id = d.organization_id and s.tenant_id = d.tenant_id
        and lower(trim(s.subscription_id)) = lower(trim(d.commerce_subscription_id))
      where nullif(trim(s.catalogue_name), '') is not null
      group by 1, 2, 3`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "tenant_sku_names"');
  }
}
