import { createHash } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { IntegrationEvent } from '../../application/integration-event';
import { JobWorkerRegistry } from './job-worker.registry';
import { PgBossService } from './pg-boss.service';

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
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;
  intervalMs = 500;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: PgBossService,
    private readonly registry: JobWorkerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    void this.registry.ready.then(() => this.schedule());
  }

  async beforeApplicationShutdown(): Promise<void> {
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
      if (relayed < 100) return total;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayPending()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, 'Relaying integration events failed; retrying'))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.intervalMs);
  }

  private relayBatch(): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      const rows = await connection.execute<OutboxRow[]>(
        'select id, organization_id, event_name, payload, occurred_at from outbox_messages where published_at is null order by occurred_at limit 100 for update skip locked',
        [],
        'all',
        em.getTransactionContext(),
      );
      for (const row of rows) {
        const event: IntegrationEvent = { id: row.id, name: row.event_name, organizationId: row.organization_id, occurredAt: new Date(row.occurred_at).toISOString(), payload: row.payload };
        for (const queue of this.registry.queuesFor(event.name)) {
          await this.jobs.boss.send(queue, { event }, { id: jobId(event.id, queue) });
          this.jobs.wake(queue);
        }
      }
      if (rows.length > 0) {
        await connection.execute('update outbox_messages set published_at = now() where id in (?)', [rows.map((r) => r.id)], 'run', em.getTransactionContext());
      }
      return rows.length;
    });
  }
}

// A stable UUID per (event, handler queue): pg-boss ignores a second job with the same id.
function jobId(eventId: string, queue: string): string {
  const hex = createHash('sha1').update(`${eventId}:${queue}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
