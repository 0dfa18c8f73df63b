import { JobQueue, type EnqueueOptions } from '../../../../shared/application/job-queue';
import { AuditTrail, type AuditEntryInput } from '../../../audit';
import {
  WebhookRepository,
  type ClaimedDelivery,
  type DeliveryAttempt,
  type DeliveryLogEntry,
  type EndpointSummary,
} from '../../application/ports/webhook.repository';
import { WebhookSender, type WebhookRequest } from '../../application/ports/webhook-sender.port';
import type { AttemptOutcome, DeliveryState, WebhookDelivery } from '../../domain/webhook-delivery';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint';
import type { WebhookEventType } from '../../domain/webhook-events';

// Fakes for the webhooks use-case tests: the repository in memory (same claim rules as PostgreSQL), a sender
// that answers from a script, a job queue and an audit trail that record what they were given.
export class InMemoryWebhookRepository extends WebhookRepository {
  readonly endpointsById = new Map<string, { endpoint: WebhookEndpoint; secret: string }>();
  readonly deliveriesById = new Map<string, DeliveryLogEntry & { leaseUntil: Date | null }>();
  readonly attemptsByDelivery = new Map<string, DeliveryAttempt[]>();

  async countEndpoints(organizationId: string) {
    return [...this.endpointsById.values()].filter((e) => e.endpoint.organizationId === organizationId).length;
  }
  async addEndpoint(endpoint: WebhookEndpoint, _createdByUserId: string, secret: string) {
    this.endpointsById.set(endpoint.id, { endpoint, secret });
  }
  async findEndpoint(organizationId: string, endpointId: string) {
    const found = this.endpointsById.get(endpointId)?.endpoint;
    return found?.organizationId === organizationId ? found : null;
  }
  async endpoints(organizationId: string): Promise<EndpointSummary[]> {
    return [...this.endpointsById.values()]
      .filter((e) => e.endpoint.organizationId === organizationId)
      .map((e) => ({ ...e.endpoint, lastDelivery: null }));
  }
  async endpointsSubscribedTo(organizationId: string, eventType: WebhookEventType) {
    return [...this.endpointsById.values()]
      .map((e) => e.endpoint)
      .filter((e) => e.organizationId === organizationId && e.events.includes(eventType));
  }
  async replaceSecret(organizationId: string, endpointId: string, secret: string, at: Date) {
    const found = this.endpointsById.get(endpointId);
    if (found?.endpoint.organizationId !== organizationId) return false;
    this.endpointsById.set(endpointId, { endpoint: { ...found.endpoint, secretRotatedAt: at }, secret });
    return true;
  }
  async removeEndpoint(organizationId: string, endpointId: string) {
    if (!(await this.findEndpoint(organizationId, endpointId))) return false;
    this.endpointsById.delete(endpointId);
    for (const [id, d] of this.deliveriesById) if (d.endpointId === endpointId) this.deliveriesById.delete(id);
    return true;
  }
  async addDeliveries(deliveries: WebhookDelivery[]) {
    for (const d of deliveries)
      this.deliveriesById.set(d.id, { ...d, lastAttemptAt: null, lastStatus: null, lastError: null, deliveredAt: null, leaseUntil: null });
  }
  async findDelivery(organizationId: string, deliveryId: string) {
    const found = this.deliveriesById.get(deliveryId);
    return found?.organizationId === organizationId ? { ...found } : null;
  }
  async deliveries(organizationId: string, endpointId: string, limit: number) {
    return [...this.deliveriesById.values()]
      .filter((d) => d.organizationId === organizationId && d.endpointId === endpointId)
      .reverse()
      .slice(0, limit);
  }
  async attempts(_organizationId: string, deliveryId: string) {
    return this.attemptsByDelivery.get(deliveryId) ?? [];
  }
  async claim(organizationId: string, deliveryId: string, leaseUntil: Date, now: Date): Promise<ClaimedDelivery | null> {
    const d = this.deliveriesById.get(deliveryId);
    if (!d || d.organizationId !== organizationId || !['pending', 'retrying'].includes(d.state) || (d.leaseUntil && d.leaseUntil >= now))
      return null;
    d.leaseUntil = leaseUntil;
    const endpoint = this.endpointsById.get(d.endpointId)!;
    return { delivery: { ...d }, url: endpoint.endpoint.url, secret: endpoint.secret };
  }
  async recordAttempt(
    organizationId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    next: { state: DeliveryState; nextAttemptAt: Date | null },
  ) {
    const d = this.deliveriesById.get(deliveryId);
    if (!d || d.organizationId !== organizationId) return;
    this.attemptsByDelivery.set(deliveryId, [...(this.attemptsByDelivery.get(deliveryId) ?? []), attempt]);
    Object.assign(d, {
      state: next.state,
      attempts: Math.max(d.attempts, attempt.attempt),
      nextAttemptAt: next.nextAttemptAt,
      leaseUntil: null,
      lastAttemptAt: attempt.attemptedAt,
      lastStatus: attempt.status,
      lastError: attempt.error,
      deliveredAt: next.state === 'delivered' ? attempt.attemptedAt : d.deliveredAt,
    });
  }
  async overdue(dueBefore: Date, now: Date, limit: number) {
    return [...this.deliveriesById.values()]
      .filter(
        (d) =>
          ['pending', 'retrying'].includes(d.state) &&
          d.nextAttemptAt &&
          d.nextAttemptAt < dueBefore &&
          (!d.leaseUntil || d.leaseUntil < now),
      )
      .slice(0, limit)
      .map((d) => ({ organizationId: d.organizationId, deliveryId: d.id }));
  }
}

// Answers each send with the next scripted outcome (the last one repeats).
export class ScriptedWebhookSender extends WebhookSender {
  readonly requests: WebhookRequest[] = [];
  constructor(private readonly script: Partial<AttemptOutcome>[]) {
    super();
  }
  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    const answer = this.script[Math.min(this.requests.length, this.script.length - 1)];
    this.requests.push(request);
    return { status: 200, error: null, retryAfterSeconds: null, durationMs: 5, responseExcerpt: null, ...answer };
  }
}

export class RecordingJobQueue extends JobQueue {
  readonly jobs: { queue: string; data: object; options: EnqueueOptions }[] = [];
  async enqueue(queue: string, data: object, options: EnqueueOptions = {}) {
    this.jobs.push({ queue, data, options });
    return `job-${this.jobs.length}`;
  }
  async enqueueMany(queue: string, jobs: { data: object; singletonKey?: string }[]) {
    for (const job of jobs) this.jobs.push({ queue, data: job.data, options: { singletonKey: job.singletonKey } });
  }
  async hasUnfinished(queue: string, singletonKeyPrefix: string) {
    return this.jobs.some((job) => job.queue === queue && job.options.singletonKey?.startsWith(singletonKeyPrefix));
  }
}

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}
