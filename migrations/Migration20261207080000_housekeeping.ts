import { Migration } from '@mikro-orm/migrations';

export class Migration20261207080000_housekeeping extends Migration {
  override async up(): Promise<void> {
    // The daily housekeeping job deletes old rows in batches of a few thousand (jobs/housekeeping.job.ts): each batch
    // finds its rows through these indexes instead of scanning the whole table. Published messages only: the
    // relay's index already covers the unpublished ones.
    this.addSql(`create index "outbox_messages_published_index" on "outbox_messages" ("published_at") where "published_at" is not null`);
    this.addSql(`create index "processed_events_processed_at_index" on "processed_events" ("processed_at")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "processed_events_processed_at_index"');
    this.addSql('drop index if exists "outbox_messages_published_index"');
  }
}
