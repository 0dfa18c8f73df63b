import { Migration } from '@mikro-orm/migrations';

export class Migration20261207040000_new_commerce extends Migration {
  override async up(): Promise<void> {
    // When Partner Center answered a request's change with 202 Accepted (FACTS §7a.5): the request stays applying,
    // shown as pending in Partner Center, until the subscription reads back changed.
    this.addSql(`alter table "portal_change_requests" add column "partner_center_pending_since" timestamptz null`);
    // New commerce (FACTS §7a.4): what Partner Center says about seat decreases, kept with each subscription and in
    // each reconciliation run's snapshot — seats reducible now (refundableQuantity), until when, and the quantity
    // scheduled for renewal (scheduledNextTermInstructions). Null: Partner Center did not say.
    for (const table of ['tenant_subscriptions', 'subscription_snapshots']) {
      this.addSql(
        `alter table "${table}" add column "refundable_quantity" integer null, add column "refundable_until" timestamptz null, add column "scheduled_quantity" integer null`,
      );
    }
  }
}
