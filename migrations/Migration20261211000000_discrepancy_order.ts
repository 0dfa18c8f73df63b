import { Migration } from '@mikro-orm/migrations';

// The Licensing page shows the first 200 open discrepancies of the latest runs in the reading order (kind, severity,
// act-by date, tenant name) and counts them per kind. With ~30,000 open per run at 10,000 tenants it read every
// discrepancy of every run (52 MB at two runs) and joined each to its tenant's name, on each request (~130 ms).
// The tenant's name in the run is now stored with the discrepancy (a run's rows never change, nor does its name in
// that run), so one index gives the page its order and stops after 200 rows, and a narrow one counts per kind. The
// order's last tie-breaks (tenant id, key: the same name twice) are left to an incremental sort of those few rows: the
// index is a third of the size, and every run writes ~30,000 entries to it.
// The kinds' order is PostgresDiscrepancyQueries' (DISCREPANCY_KINDS): a new kind needs this index made again — the
// int-spec that asserts the plan fails until it is.
export class Migration20261211000000_discrepancy_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "discrepancies" add column "company_name" text null`);
    this.addSql(`update "discrepancies" d set "company_name" = t."company_name"
      from "reconciliation_tenants" t where t."run_id" = d."run_id" and t."tenant_id" = d."tenant_id"`);
    this.addSql(`create index "discrepancies_open_order" on "discrepancies" (
      "run_id",
      (case "kind" when 'over-assigned' then 0 when 'unassigned-seats' then 1 when 'quantity-mismatch' then 2 when 'not-sold-by-you' then 3
        when 'subscription-suspended' then 4 when 'subscription-ending' then 5 when 'tenant-unreadable' then 6 when 'licences-unreadable' then 7 else 8 end),
      (case "severity" when 'high' then 0 when 'medium' then 1 else 2 end),
      "act_by" asc nulls last,
      lower("company_name")
    ) where "silenced_by" is null`);
    this.addSql(
      `create index "discrepancies_kind_counts" on "discrepancies" ("run_id", "kind") include ("organization_id", "silenced_by")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "discrepancies_kind_counts"');
    this.addSql('drop index if exists "discrepancies_open_order"');
    this.addSql(`alter table "discrepancies" drop column if exists "company_name"`);
  }
}
