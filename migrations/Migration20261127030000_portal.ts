import { Migration } from '@mikro-orm/migrations';

export class Migration20261127030000_portal extends Migration {
  override async up(): Promise<void> {
    // The people of a customer tenant who may use its licence portal (added by the partner, or by a portal Admin),
    // with the Microsoft object id bound at their first sign-in.
    this.addSql(`create table "portal_users" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "user_principal_name" text not null,
      "object_id" uuid null,
      "display_name" text null,
      "role" text not null check ("role" in ('view', 'modify', 'admin')),
      "added_by_kind" text not null check ("added_by_kind" in ('partner', 'portal')),
      "added_by_name" text not null,
      "added_at" timestamptz not null,
      "last_sign_in_at" timestamptz null
    )`);
    // Entra ID compares sign-in names without case.
    this.addSql(
      `create unique index "portal_users_upn_key" on "portal_users" ("organization_id", "tenant_id", lower("user_principal_name"))`,
    );
    this.addSql(
      `create unique index "portal_users_object_key" on "portal_users" ("organization_id", "tenant_id", "object_id") where "object_id" is not null`,
    );
    // Sign-in looks a tenant's people up across the organizations that switched its portal on.
    this.addSql(`create index "portal_users_tenant_idx" on "portal_users" ("tenant_id")`);

    // Customers' requests to change a subscription's seats, the partner's decision and what Partner Center did.
    this.addSql(`create table "portal_change_requests" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "tenant_id" uuid not null,
      "tenant_name" text not null,
      "subscription_id" text not null,
      "subscription_name" text not null,
      "kind" text not null check ("kind" in ('increase', 'decrease', 'decrease_at_renewal')),
      "from_quantity" integer not null check ("from_quantity" >= 0),
      "to_quantity" integer not null check ("to_quantity" >= 1),
      "status" text not null check ("status" in ('pending', 'rejected', 'applying', 'applied', 'failed', 'scheduled')),
      "requested_by_portal_user_id" uuid not null,
      "requested_by_name" text not null,
      "requested_by_upn" text not null,
      "requested_at" timestamptz not null,
      "decided_by_user_id" uuid null,
      "decided_by_name" text null,
      "decided_at" timestamptz null,
      "decision_comment" text null,
      "result" text null,
      "applied_quantity" integer null,
      "effective_date" timestamptz null,
      "completed_at" timestamptz null,
      "updated_at" timestamptz not null,
      check ("kind" <> 'decrease_at_renewal' or "effective_date" is not null)
    )`);
    // One open request per subscription: two approvals could otherwise start from the same quantity.
    this
      .addSql(`create unique index "portal_change_requests_open_key" on "portal_change_requests" ("organization_id", "tenant_id", lower("subscription_id"))
      where "status" in ('pending', 'applying', 'scheduled')`);
    this.addSql(
      `create index "portal_change_requests_tenant_idx" on "portal_change_requests" ("organization_id", "tenant_id", "requested_at" desc)`,
    );
    this.addSql(
      `create index "portal_change_requests_open_idx" on "portal_change_requests" ("organization_id", "requested_at") where "status" in ('pending', 'applying', 'scheduled')`,
    );
    // The background job's look for due work across organizations.
    this.addSql(
      `create index "portal_change_requests_due_idx" on "portal_change_requests" ("status", "effective_date", "updated_at") where "status" in ('applying', 'scheduled')`,
    );
  }
}
