import type { EntityManager } from '@mikro-orm/postgresql';
import { boundSql } from '../../../../shared/infrastructure/database/raw-sql';

// Microsoft's catalogue title of each of `skuIds` (keyed lower case) that any of the organization's tenants has learnt
// from its subscriptions (tenant_sku_names, written by the licence recording; FACTS.md §7a.8): one SKU has one title,
// whichever tenant it was learnt from (the least, where two disagree). One index probe per SKU asked, whatever the
// number of tenants. Stored in the database, so names survive restarts and need no catalogue call to show.
export async function microsoftCatalogueNames(
  em: EntityManager,
  organizationId: string,
  skuIds: Iterable<string>,
): Promise<Map<string, string>> {
  const keys = [...new Set([...skuIds].map((skuId) => skuId.trim().toLowerCase()))];
  if (keys.length === 0) return new Map();
  const rows = await boundSql<{ sku_id: string; name: string | null }>(
    em,
    `select k.sku_id, (select n.name from tenant_sku_names n where n.organization_id = ? and n.sku_id = k.sku_id order by n.name limit 1) as name
     from unnest(array(select json_array_elements_text(?::json))) as k(sku_id)`,
    [organizationId, JSON.stringify(keys)],
  );
  return new Map(rows.filter((row) => row.name !== null).map((row) => [row.sku_id, row.name as string]));
}
