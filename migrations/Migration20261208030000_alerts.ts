import { Migration } from '@mikro-orm/migrations';

// The alerts module's tables: rule settings and mutes per organization, the alerts themselves (at most one open
// alert per stable key, whichever app instance evaluates), e-mail preferences and the sent-log of alert e-mails
// (one row per alert or digest period, recipient and kind, so two instances never send the same mail).
export class Migration20261208030000_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "alert_rule_settings" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "rule" text not null,
      "enabled" boolean not null,
      "threshold_days" integer null check ("threshold_days" between 0 and 365),
      "updated_at" timestamptz not null,
      "updated_by_name" text not null,
      primary key ("organization_id", "rule")
    )`);
    this.addSql(`create table "alert_mutes" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "rule" text null,
      "tenant_id" uuid null,
      "sku_id" text null,
      "reason" text not null,
      "until" timestamptz null,
      "created_at" timestamptz not null,
      "created_by_name" text not null,
      "lifted_at" timestamptz null
    )`);
    this.addSql(`create index "alert_mutes_organization_index" on "alert_mutes" ("organization_id") where "lifted_at" is null`);
    this.addSql(`create table "alerts" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "key" text not null,
      "rule" text not null,
      "severity" text not null check ("severity" in ('critical', 'warning', 'info')),
      "tenant_id" uuid null,
      "tenant_name" text null,
      "sku_id" text null,
      "title" text not null,
      "action" text not null,
      "opened_at" timestamptz not null,
      "last_seen_at" timestamptz not null,
      "resolved_at" timestamptz null,
      "acknowledged_at" timestamptz null,
      "acknowledged_by_name" text null
    )`);
    // The de-duplication: two instances evaluating at once insert the same key; one wins, the other opens nothing.
    this.addSql(`create unique index "alerts_open_key_unique" on "alerts" ("organization_id", "key") where "resolved_at" is null`);
    this.addSql(`create index "alerts_history_index" on "alerts" ("organization_id", "opened_at" desc)`);
    // Organizations whose alerts are evaluated (the schedule re-evaluates them), and when they last were.
    this.addSql(`create table "alert_evaluations" (
      "organization_id" uuid primary key references "organizations" ("id") on delete cascade deferrable initially deferred,
      "evaluated_at" timestamptz not null
    )`);
    this.addSql(`create table "alert_email_preferences" (
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "staff_user_id" uuid not null,
      "immediate" boolean not null default true,
      "digest" text not null default 'daily' check ("digest" in ('daily', 'weekly', 'off')),
      "unsubscribed_rules" text[] not null default '{}',
      "updated_at" timestamptz not null,
      primary key ("organization_id", "staff_user_id")
    )`);
    // `dedupe_key` is the alert id (immediate) or the digest period (e.g. 2026-12-07, 2026-W50).
    this.addSql(`create table "alert_emails" (
      "id" uuid primary key,
      "organization_id" uuid not null references "organizations" ("id") on delete cascade deferrable initially deferred,
      "staff_user_id" uuid not null,
      "kind" text not null check ("kind" in ('immediate', 'digest')),
      "dedupe_key" text not null,
      "alert_ids" uuid[] not null,
      "recipient" text not null,
      "state" text not null check ("state" in ('pending', 'sending', 'sent', 'failed')),
      "created_at" timestamptz not null,
      "sent_at" timestamptz null,
      "error" text null,
      constraint "alert_emails_once" unique ("organization_id", "staff_user_id", "kind", "dedupe_key")
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "alert_emails"');
    this.addSql('drop table if exists "alert_email_preferences"');
    this.addSql('drop table if exists "alert_evaluations"');
    this.addSql('drop table if exists "alerts"');
    this.addSql('drop table if exists "alert_mutes"');
    this.addSql('drop table if exists "alert_rule_settings"');
  }
}
