import { Migration } from '@mikro-orm/migrations';

export class Migration20261207040000_portal_pending_changes extends Migration {
  override async up(): Promise<void> {
    // When Partner Center answered a request's change with 202 Accepted (FACTS §7a.5): the request stays applying,
    // shown as pending in Partner Center, until the subscription reads back changed.
    this.addSql(`alter table "portal_change_requests" add column "partner_center_pending_since" timestamptz null`);
  }
}
