import { Migration } from '@mikro-orm/migrations';

export class Migration20261208050000_staff_roles extends Migration {
  override async up(): Promise<void> {
    // Every staff user so far could do everything: they all become Owners, so nobody loses access. New members
    // always get their role from an invitation (or Owner as a directory's first user), hence no default after.
    this.addSql(`alter table "staff_users" add column "role" text not null default 'owner'`);
    this.addSql(`alter table "staff_users" alter column "role" drop default`);
    this.addSql(
      `alter table "staff_users" add constraint "staff_users_role_check" check ("role" in ('owner', 'admin', 'billing', 'viewer'))`,
    );
    // An Owner's invitation of a colleague of the same directory, matched by address at their first sign-in.
    this.addSql(`create table "staff_invitations" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "email" text not null,
      "role" text not null check ("role" in ('owner', 'admin', 'billing', 'viewer')),
      "invited_by_user_id" uuid not null,
      "invited_by_name" text not null,
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "accepted_at" timestamptz null,
      "accepted_user_id" uuid null,
      "revoked_at" timestamptz null
    )`);
    // One open invitation per address and organization (inviting again replaces the old one in the use case).
    this.addSql(
      `create unique index "staff_invitations_open_email_unique" on "staff_invitations" ("organization_id", "email") where "accepted_at" is null and "revoked_at" is null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "staff_invitations"');
    this.addSql('alter table "staff_users" drop constraint if exists "staff_users_role_check"');
    this.addSql('alter table "staff_users" drop column if exists "role"');
  }
}
