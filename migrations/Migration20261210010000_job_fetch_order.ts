import { Migration } from '@mikro-orm/migrations';

// pg-boss 10 fetches a queue's next jobs `WHERE name = $1 AND state < 'active' AND start_after < now() ORDER BY
// priority desc, created_on, id LIMIT n FOR UPDATE SKIP LOCKED`, and its own index (job_i5: name, start_after) cannot
// give that order: every fetch sorted all the queue's waiting jobs. An import queues a read job per customer at once,
// so each of its thousands of fetches sorted thousands of rows (6.7 ms per fetch at 5,000 customers, 0.06 ms with this
// index: npm run bench:profile BENCH_PG_STATEMENTS=1). On the partitioned parent, so every queue's partition has it,
// those pg-boss creates later too.
export class Migration20261210010000_job_fetch_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists "job_fetch_order" on "pgboss"."job" ("name", "priority" desc, "created_on", "id") where "state" < 'active'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "pgboss"."job_fetch_order"');
  }
}
