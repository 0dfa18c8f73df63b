import type { EntityManager } from '@mikro-orm/postgresql';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';

// Microsoft's catalogue title per SKU id (lower case), as stored with the organization's Partner Center subscriptions
// (GET /v1/products/{productId}/skus/{skuId}, FACTS.md §7a.8). A subscription is tied to its SKU id by the directory
// subscription naming it (Partner Center's subscription carries no SKU id); one SKU has one title, whichever tenant
// it was learnt from. Stored in the database, so names survive restarts and need no catalogue call to show.
export async function microsoftCatalogueNames(em: EntityManager, organizationId: string): Promise<Map<string, string>> {
  const rows = await rawSql<{ sku_id: string; name: string }>(
    em,
    `select lower(trim(d.sku_id)) as sku_id, min(s.catalogue_name) as name
     from tenant_directory_subscriptions d
     join tenant_subscriptions s on s.organization_id = d.organization_id and lower(trim(s.subscription_id)) = lower(trim(d.commerce_subscription_id))
     where d.organization_id = ? and s.catalogue_name is not null
     group by 1`,
    [organizationId],
  );
  return new Map(rows.map((row) => [row.sku_id, row.name]));
}
