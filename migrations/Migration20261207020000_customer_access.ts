import { Migration } from '@mikro-orm/migrations';

// Whether the Sync 365 app is provisioned in each customer tenant (and whether Sync 365 provisioned it), and why
// Microsoft refuses Sync 365 the customer's directory when it does (app missing, the customer's Conditional Access).
export class Migration20261207020000_customer_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "customer_tenants"
      add column "app_status" text null check ("app_status" in ('present', 'provisioned', 'missing')),
      add column "app_provisioned_at" timestamptz null,
      add column "access_problem" text null,
      add column "access_problem_kind" text null check ("access_problem_kind" in ('app_not_provisioned', 'conditional_access')),
      add constraint "customer_tenants_access_problem_check" check (("access_problem" is null) = ("access_problem_kind" is null))`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_tenants"
      drop constraint if exists "customer_tenants_access_problem_check",
      drop column if exists "access_problem_kind",
      drop column if exists "access_problem",
      drop column if exists "app_provisioned_at",
      drop column if exists "app_status"`);
  }
}
