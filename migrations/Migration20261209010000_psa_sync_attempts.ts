import { Migration } from '@mikro-orm/migrations';

export class Migration20261209010000_psa_sync_attempts extends Migration {
  override async up(): Promise<void> {
    // Which execution of a run may write: each one (the first, a retry after a crash or a missed heartbeat) takes the
    // next number; one that finds a higher number stops before writing anything more.
    this.addSql(`alter table "psa_sync_runs" add column "attempt" integer not null default 0`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "psa_sync_runs" drop column "attempt"`);
  }
}
