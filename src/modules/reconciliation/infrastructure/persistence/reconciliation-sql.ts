import type { ProductView } from '../../application/reconciliation-queries';
import { skuName } from '../../domain';

// SQL shared by the reconciliation's read models (one Postgres*Queries class each).

// The latest run of each delegated admin of the organization (the first placeholder): what "now" is.
export const LATEST_RUNS = `latest as (
  select distinct on (delegated_admin_id) id from reconciliation_runs where organization_id = ? order by delegated_admin_id, finished_at desc, id desc)`;

// The name a tenant had in the latest run that listed it (a removed tenant is not in the run that says so).
export const LATEST_TENANT_NAME = (
  organization: string,
  tenant: string,
) => `(select rt.company_name from reconciliation_tenants rt join reconciliation_runs rr on rr.id = rt.run_id
  where rt.organization_id = ${organization} and rt.tenant_id = ${tenant} order by rr.finished_at desc, rr.id desc limit 1)`;

// A timestamp as exact text (microseconds, UTC) for keyset cursors: a JS Date would drop the microseconds.
export const exactTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// A product as the latest snapshots name it (the exclusions offer them; an exclusion names one).
export function toProductView(row: { sku_id: string; sku_part_number: string; product_name: string; free: boolean }): ProductView {
  return {
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    productName: skuName({ productName: row.product_name, skuPartNumber: row.sku_part_number }),
    free: row.free,
  };
}
