import { Migration } from '@mikro-orm/migrations';
import PgBoss from 'pg-boss';

// pg-boss's own schema (`pgboss`). pg-boss is started with `migrate: false`, so the schema changes only here:
// upgrading pg-boss means a new migration with PgBoss.getMigrationPlans().
export class Migration20261126010000_job_queue extends Migration {
  // The construction plan brings its own BEGIN/COMMIT and advisory lock.
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    this.addSql(PgBoss.getConstructionPlans('pgboss'));
  }

  override async down(): Promise<void> {
    this.addSql('drop schema if exists "pgboss" cascade');
  }
}
