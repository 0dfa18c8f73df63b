import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { rawSql, sqlTime } from '../../../../shared/infrastructure/database/raw-sql';
import { catalogueName } from '../../../licensing';
import { ExclusionQueries, type ExclusionChoicesView, type ExclusionView } from '../../application/reconciliation-queries';
import { skuName, type ExclusionRule } from '../../domain';
import { LATEST_RUNS, LATEST_TENANT_NAME, toProductView } from './reconciliation-sql';

interface ExclusionRow {
  id: string;
  tenant_id: string | null;
  sku_id: string | null;
  rule: ExclusionRule;
  spare: number | null;
  reason: string;
  created_at: string;
  created_by_name: string;
  company_name: string | null;
  product_name: string | null;
  sku_part_number: string | null;
  silencing: number;
}

// The exclusions in place, with the names they refer to and what they silence now, and the choices for a new one.
@Injectable()
export class PostgresExclusionQueries extends ExclusionQueries {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async exclusions(organizationId: string): Promise<ExclusionView[]> {
    const rows = await rawSql<ExclusionRow>(
      this.em,
      `with ${LATEST_RUNS}
       select e.id, e.tenant_id, e.sku_id, e.rule, e.spare, e.reason, e.created_at, e.created_by_name,
              case when e.tenant_id is null then null else ${LATEST_TENANT_NAME('e.organization_id', 'e.tenant_id')} end as company_name,
              p.product_name, p.sku_part_number,
              (select count(*) from discrepancies d join latest on latest.id = d.run_id where d.organization_id = e.organization_id and d.silenced_by = e.id)::int as silencing
       from licensing_exclusions e
       left join lateral (select l.product_name, l.sku_part_number from licence_snapshots l join latest on latest.id = l.run_id
                          where l.organization_id = e.organization_id and lower(l.sku_id) = e.sku_id limit 1) p on true
       where e.organization_id = ?
       order by e.created_at desc, e.id`,
      [organizationId, organizationId],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      companyName: row.company_name,
      skuId: row.sku_id,
      productName: row.sku_id === null ? null : nameOfSku(row.sku_id, row.product_name, row.sku_part_number),
      rule: row.rule,
      spare: row.spare,
      reason: row.reason,
      createdAt: sqlTime(row.created_at),
      createdByName: row.created_by_name,
      silencing: row.silencing,
    }));
  }

  async exclusionChoices(organizationId: string): Promise<ExclusionChoicesView> {
    const tenants = await rawSql<{ tenant_id: string; company_name: string }>(
      this.em,
      `with ${LATEST_RUNS}
       select distinct on (lower(t.company_name), t.tenant_id) t.tenant_id, t.company_name from reconciliation_tenants t join latest on latest.id = t.run_id
       where t.organization_id = ? order by lower(t.company_name), t.tenant_id`,
      [organizationId, organizationId],
    );
    const products = await rawSql<{ sku_id: string; sku_part_number: string; product_name: string; free: boolean }>(
      this.em,
      `with ${LATEST_RUNS}
       select distinct on (lower(l.sku_id)) lower(l.sku_id) as sku_id, l.sku_part_number, l.product_name, l.free from licence_snapshots l join latest on latest.id = l.run_id
       where l.organization_id = ? order by lower(l.sku_id), l.product_name`,
      [organizationId, organizationId],
    );
    return {
      tenants: tenants.map((t) => ({ tenantId: t.tenant_id, companyName: t.company_name })),
      products: products.map(toProductView).sort((a, b) => a.productName.localeCompare(b.productName) || compare(a.skuId, b.skuId)),
    };
  }
}

// A SKU no latest run holds (the tenants dropped it) is still named by the catalogue when it knows the id.
function nameOfSku(skuId: string, productName: string | null, skuPartNumber: string | null): string {
  if (productName !== null || skuPartNumber !== null)
    return skuName({ productName: productName ?? '', skuPartNumber: skuPartNumber ?? '' });
  return catalogueName({ skuId, skuPartNumber: '' }) ?? skuId;
}

// Code-point order, so equal names keep one order on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
