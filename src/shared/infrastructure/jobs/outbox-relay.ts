import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { IntegrationEvent } from '../../application/integration-event';
import { JobWorkerRegistry } from './job-worker.registry';
import { PgBossService, stableJobId } from './pg-boss.service';

const BATCH_SIZE = 100;

interface OutboxRow {
  id: string;
  organization_id: string;
  event_name: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

// Moves committed integration events from the outbox to the job queue, one job per subscribed handler.
// Rows are claimed with SKIP LOCKED, so several app instances relay side by side without sending twice; a job
// id derived from (event, handler) makes a re-send after a crash a no-op.
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;
  intervalMs = 500;
  busyIntervalMs = 50;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: PgBossService,
    private readonly registry: JobWorkerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    void this.registry.ready.then(() => this.schedule());
  }

  // Nest runs every onModuleDestroy before any beforeApplicationShutdown, so the relay has finished its batch
  // (committed or rolled back whole) before PgBossService stops the queue it sends to.
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  // Relays everything waiting now; returns how many events were relayed.
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      // Stopping: what is left stays in the outbox for the next start (or another instance).
      if (relayed < BATCH_SIZE || this.stopped) return total;
    }
  }

  // After relaying something the relay looks again soon (busyIntervalMs): events come in streams (an import publishes
  // two per tenant), and each one waiting out the idle interval delayed every tenant's next step by it.
  private schedule(delayMs = this.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let relayed = 0;
      this.running = this.relayPending()
        .then((count) => void (relayed = count))
        .catch((error: unknown) => this.logger.error({ err: error }, 'Relaying integration events failed; retrying'))
        .finally(() => {
          if (!this.stopped) this.schedule(relayed > 0 ? this.busyIntervalMs : this.intervalMs);
        });
    }, delayMs);
  }

  private async subscribers(eventNames: string[]): Promise<Map<string, string[]>> {
    if (eventNames.length === 0) return new Map();
    await this.jobs.start();
    const { rows } = await this.jobs.boss
      .getDb()
      .executeSql('select event, name from pgboss.subscription where event = any($1::text[])', [eventNames]);
    return groupSubscriptions(rows as { event: string; name: string }[]);
  }

  private relayBatch(): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      const rows = await connection.execute<OutboxRow[]>(
        `select id, organization_id, event_name, payload, occurred_at from outbox_messages where published_at is null order by occurred_at limit ${BATCH_SIZE} for update skip locked`,
        [],
        'all',
        em.getTransactionContext(),
      );
      const subscribers = await this.subscribers([...new Set(rows.map((r) => r.event_name))]);
      const jobs: { queue: string; id: string; data: object }[] = [];
      for (const row of rows) {
        const event: IntegrationEvent = {
          id: row.id,
          name: row.event_name,
          organizationId: row.organization_id,
          occurredAt: new Date(row.occurred_at).toISOString(),
          payload: row.payload,
        };
        for (const queue of subscribers.get(event.name) ?? []) jobs.push({ queue, id: stableJobId(event.id, queue), data: { event } });
      }
      // One statement for the whole batch, before the rows are marked: a failed send rolls the batch back, so nothing
      // is marked published unsent (a batch sent but not marked is sent again, and the job ids make that a no-op).
      await this.jobs.sendWithIds(jobs);
      if (rows.length > 0) {
        await connection.execute(
          'update outbox_messages set published_at = now() where id in (?)',
          [rows.map((r) => r.id)],
          'run',
          em.getTransactionContext(),
        );
      }
      return rows.length;
    });
  }
}

// Handler queues per event, from pg-boss's subscription table (persisted, shared by all instances).
// An event nobody subscribes to is marked published: a handler added later receives only later events.
function groupSubscriptions(rows: { event: string; name: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.event, [...(map.get(row.event) ?? []), row.name]);
  return map;
}
