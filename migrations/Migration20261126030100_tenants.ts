import { Migration } from '@mikro-orm/migrations';

// The tenants module's tables (customer tenants, import runs and their per-tenant progress).
export class Migration20261126030100_tenants extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
