import { createHmac } from 'node:crypto';
import type { Actor } from '../../../shared/application/actor';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import {
  InMemoryWebhookRepository,
  RecordingAuditTrail,
  RecordingJobQueue,
  ScriptedWebhookSender,
} from '../infrastructure/testing/in-memory-webhooks';
import type { AttemptOutcome } from '../domain/webhook-delivery';
import { DeliverWebhookUseCase } from './deliver-webhook.use-case';
import { DELIVER_WEBHOOK_QUEUE, type DeliverWebhookJob } from './delivery-queue';
import { ManageWebhookEndpointsUseCase } from './manage-webhook-endpoints.use-case';
import { RecordEventDeliveriesUseCase } from './record-event-deliveries.use-case';
import { RedeliverWebhookUseCase } from './redeliver-webhook.use-case';
import { SweepDeliveriesUseCase } from './sweep-deliveries.use-case';
import { WebhookDeliveryOptions } from './webhook-delivery-options';

const ORG_A = '0a0a0a0a-0000-4000-8000-000000000001';
const ORG_B = '0b0b0b0b-0000-4000-8000-000000000002';
const actorOf = (organizationId: string): Actor => ({
  userId: '11111111-0000-4000-8000-000000000001',
  organizationId,
  displayName: 'Ada Admin',
  userPrincipalName: 'ada@example.com',
  organizationName: 'Org',
  role: 'admin',
});
const EVENT_ID = '22222222-0000-4000-8000-000000000001';

function setup(script: Partial<AttemptOutcome>[] = [{ status: 200 }]) {
  const clock = new FixedClock(new Date('2026-11-27T10:00:00Z'));
  const repo = new InMemoryWebhookRepository();
  const jobs = new RecordingJobQueue();
  const audit = new RecordingAuditTrail();
  const sender = new ScriptedWebhookSender(script);
  const options = new WebhookDeliveryOptions();
  options.retryDelaysSeconds = [10, 30];
  const transaction = new ImmediateTransaction();
  return {
    clock,
    repo,
    jobs,
    audit,
    sender,
    options,
    manage: new ManageWebhookEndpointsUseCase(repo, audit, transaction, clock, options),
    record: new RecordEventDeliveriesUseCase(repo, jobs, clock),
    deliver: new DeliverWebhookUseCase(repo, sender, jobs, transaction, clock, options),
    redeliver: new RedeliverWebhookUseCase(repo, audit, jobs, transaction, clock, options),
    sweep: new SweepDeliveriesUseCase(repo, jobs, clock, options),
  };
}

type Setup = ReturnType<typeof setup>;

const quantityChanged = (organizationId = ORG_A) => ({
  id: EVENT_ID,
  organizationId,
  occurredAt: '2026-11-27T09:59:00.000Z',
  type: 'licensing.quantity-changed' as const,
  data: { tenantId: 't1', delta: 5 },
});

async function deliveryFor(s: Setup, url = 'https://hooks.example.com/a') {
  const { endpoint, secret } = await s.manage.add(actorOf(ORG_A), { url, events: ['licensing.quantity-changed'] });
  await s.record.execute(quantityChanged());
  const delivery = [...s.repo.deliveriesById.values()].find((d) => d.endpointId === endpoint.id)!;
  return { endpoint, secret, delivery, job: { organizationId: ORG_A, deliveryId: delivery.id } satisfies DeliverWebhookJob };
}

describe('webhook endpoints', () => {
  it('adds a webhook with a secret returned once, stored for signing, and an audit entry that never holds it', async () => {
    const s = setup();
    const { endpoint, secret } = await s.manage.add(actorOf(ORG_A), {
      url: 'https://hooks.example.com/a',
      events: ['tenants.import-finished'],
    });
    expect(s.repo.endpointsById.get(endpoint.id)?.secret).toBe(secret);
    expect(s.audit.entries).toEqual([
      expect.objectContaining({ action: 'webhooks.endpoint-added', subject: 'https://hooks.example.com/a', organizationId: ORG_A }),
    ]);
    expect(JSON.stringify(s.audit.entries)).not.toContain(secret);
  });

  it('refuses an http URL and adds nothing', async () => {
    const s = setup();
    await expect(s.manage.add(actorOf(ORG_A), { url: 'http://hooks.example.com/a', events: ['tenants.import-finished'] })).rejects.toThrow(
      /https/,
    );
    expect(s.repo.endpointsById.size).toBe(0);
  });

  it('refuses a URL naming a private or loopback address, unless the operator allowed that host', async () => {
    const s = setup();
    for (const url of ['https://127.0.0.1:8443/a', 'https://localhost/a', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/a']) {
      await expect(s.manage.add(actorOf(ORG_A), { url, events: ['tenants.import-finished'] })).rejects.toThrow(
        /only sends to public internet addresses/,
      );
    }
    expect(s.repo.endpointsById.size).toBe(0);
    expect(s.audit.entries).toHaveLength(0);
    s.options.allowedHosts = ['127.0.0.1'];
    await s.manage.add(actorOf(ORG_A), { url: 'https://127.0.0.1:8443/a', events: ['tenants.import-finished'] });
    expect(s.repo.endpointsById.size).toBe(1);
  });

  it('rotates the secret (the old one is gone) and removes a webhook, only within its organization', async () => {
    const s = setup();
    const { endpoint, secret } = await s.manage.add(actorOf(ORG_A), {
      url: 'https://hooks.example.com/a',
      events: ['tenants.import-finished'],
    });
    await expect(s.manage.rotateSecret(actorOf(ORG_B), endpoint.id)).rejects.toThrow(/does not exist/);
    const rotated = await s.manage.rotateSecret(actorOf(ORG_A), endpoint.id);
    expect(rotated.secret).not.toBe(secret);
    expect(s.repo.endpointsById.get(endpoint.id)?.secret).toBe(rotated.secret);
    await expect(s.manage.remove(actorOf(ORG_B), endpoint.id)).rejects.toThrow(/does not exist/);
    await s.manage.remove(actorOf(ORG_A), endpoint.id);
    expect(s.repo.endpointsById.size).toBe(0);
    expect(s.audit.entries.map((e) => e.action)).toEqual([
      'webhooks.endpoint-added',
      'webhooks.secret-rotated',
      'webhooks.endpoint-removed',
    ]);
  });
});

describe('fanning an event out to endpoints', () => {
  it('records one delivery per subscribed endpoint of the event’s organization, with the documented body, and queues each', async () => {
    const s = setup();
    const a1 = await s.manage.add(actorOf(ORG_A), { url: 'https://a1.example.com/', events: ['licensing.quantity-changed'] });
    await s.manage.add(actorOf(ORG_A), { url: 'https://a2.example.com/', events: ['tenants.import-finished'] });
    await s.manage.add(actorOf(ORG_B), { url: 'https://b.example.com/', events: ['licensing.quantity-changed'] });
    await s.record.execute(quantityChanged());

    const deliveries = [...s.repo.deliveriesById.values()];
    expect(deliveries.map((d) => d.endpointId)).toEqual([a1.endpoint.id]);
    expect(JSON.parse(deliveries[0].body)).toEqual({
      id: EVENT_ID,
      type: 'licensing.quantity-changed',
      createdAt: '2026-11-27T09:59:00.000Z',
      organizationId: ORG_A,
      data: { tenantId: 't1', delta: 5 },
    });
    expect(deliveries[0]).toMatchObject({ state: 'pending', attempts: 0, eventId: EVENT_ID });
    expect(s.jobs.jobs).toEqual([
      {
        queue: DELIVER_WEBHOOK_QUEUE,
        data: { organizationId: ORG_A, deliveryId: deliveries[0].id },
        options: expect.objectContaining({ singletonKey: deliveries[0].id }),
      },
    ]);
  });
});

describe('delivering', () => {
  it('sends the body with the event, delivery and signature headers, signed with the endpoint’s secret', async () => {
    const s = setup();
    const { secret, delivery, job } = await deliveryFor(s);
    await s.deliver.execute(job);
    const [request] = s.sender.requests;
    expect(request).toMatchObject({ url: 'https://hooks.example.com/a', body: delivery.body, timeoutMs: 10_000 });
    expect(request.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Sync365-Event': 'licensing.quantity-changed',
      'Sync365-Delivery': delivery.id,
    });
    const t = Math.floor(s.clock.now().getTime() / 1000);
    expect(request.headers['Sync365-Signature']).toBe(
      `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex')}`,
    );
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      deliveredAt: s.clock.now(),
    });
  });

  it('retries a failed attempt on schedule, and after the last attempt marks it failed with the reason', async () => {
    const s = setup([{ status: 500, error: 'The endpoint answered 500.' }]);
    const { delivery, job } = await deliveryFor(s);
    s.jobs.jobs.length = 0;

    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastStatus: 500,
      nextAttemptAt: new Date('2026-11-27T10:00:10Z'),
    });
    expect(s.jobs.jobs.map((j) => j.options.startAfterSeconds)).toEqual([10]);

    s.clock.current = new Date('2026-11-27T10:00:10Z');
    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({
      state: 'retrying',
      attempts: 2,
      nextAttemptAt: new Date('2026-11-27T10:00:40Z'),
    });

    s.clock.current = new Date('2026-11-27T10:00:40Z');
    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      nextAttemptAt: null,
      lastError: 'The endpoint answered 500.',
    });
    expect(s.jobs.jobs).toHaveLength(2);
    expect(s.repo.attemptsByDelivery.get(delivery.id)?.map((a) => a.attempt)).toEqual([1, 2, 3]);

    // A job that runs again after the end sends nothing.
    await s.deliver.execute(job);
    expect(s.sender.requests).toHaveLength(3);
  });

  it('is delivered on the attempt that gets a 2xx', async () => {
    const s = setup([{ status: 503, error: 'down' }, { status: 204 }]);
    const { delivery, job } = await deliveryFor(s);
    await s.deliver.execute(job);
    s.clock.current = new Date(s.clock.current.getTime() + 10_000);
    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 204, lastError: null });
  });

  it('waits as long as the endpoint asks with Retry-After', async () => {
    const s = setup([{ status: 429, error: 'slow down', retryAfterSeconds: 120 }]);
    const { delivery, job } = await deliveryFor(s);
    s.jobs.jobs.length = 0;
    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)?.nextAttemptAt).toEqual(new Date('2026-11-27T10:02:00Z'));
    expect(s.jobs.jobs[0].options.startAfterSeconds).toBe(120);
  });

  it('fails a delivery at once, without retrying, when its address is one Sync 365 does not send to', async () => {
    const s = setup([
      { status: null, error: 'The address resolves to a private network address, which Sync 365 does not send to.', permanent: true },
    ]);
    const { delivery, job } = await deliveryFor(s);
    s.jobs.jobs.length = 0;
    await s.deliver.execute(job);
    expect(s.repo.deliveriesById.get(delivery.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      lastStatus: null,
      lastError: expect.stringContaining('private network address'),
    });
    expect(s.jobs.jobs).toHaveLength(0);
    await s.deliver.execute(job);
    expect(s.sender.requests).toHaveLength(1);
  });

  it('does not send a delivery another worker is attempting, nor one that is early for its next attempt', async () => {
    const s = setup([{ status: 500, error: 'down' }]);
    const { delivery, job } = await deliveryFor(s);
    await s.repo.claim(ORG_A, delivery.id, new Date(s.clock.now().getTime() + 40_000), s.clock.now());
    await s.deliver.execute(job);
    expect(s.sender.requests).toHaveLength(0);

    s.repo.deliveriesById.get(delivery.id)!.leaseUntil = null;
    await s.deliver.execute(job);
    s.jobs.jobs.length = 0;
    await s.deliver.execute(job);
    expect(s.sender.requests).toHaveLength(1);
    // Queued again for when its attempt is due.
    expect(s.jobs.jobs.map((j) => j.options.startAfterSeconds)).toEqual([10]);
  });

  it('ignores a job of another organization or of a delivery that no longer exists', async () => {
    const s = setup();
    const { endpoint, job } = await deliveryFor(s);
    await s.deliver.execute({ ...job, organizationId: ORG_B });
    await s.manage.remove(actorOf(ORG_A), endpoint.id);
    await s.deliver.execute(job);
    expect(s.sender.requests).toHaveLength(0);
  });
});

describe('redelivery, test events and the sweeper', () => {
  it('redelivers the same body as a new delivery, audit logged, only from the endpoint’s own log', async () => {
    const s = setup();
    const { endpoint, delivery, job } = await deliveryFor(s);
    await s.deliver.execute(job);
    const again = await s.redeliver.redeliver(actorOf(ORG_A), endpoint.id, delivery.id);
    expect(again.id).not.toBe(delivery.id);
    expect(again).toMatchObject({
      body: delivery.body,
      eventId: EVENT_ID,
      state: 'pending',
      redeliveryOf: delivery.id,
      requestedByName: 'Ada Admin',
    });
    expect(s.jobs.jobs.at(-1)?.data).toEqual({ organizationId: ORG_A, deliveryId: again.id });
    expect(s.audit.entries.at(-1)).toMatchObject({ action: 'webhooks.redelivered', subject: endpoint.url });
    await expect(s.redeliver.redeliver(actorOf(ORG_B), endpoint.id, delivery.id)).rejects.toThrow(/does not exist/);
    const other = await s.manage.add(actorOf(ORG_A), { url: 'https://other.example.com/', events: ['licensing.quantity-changed'] });
    await expect(s.redeliver.redeliver(actorOf(ORG_A), other.endpoint.id, delivery.id)).rejects.toThrow(/not in the webhook’s log/);
  });

  it('sends a webhook.test event to one endpoint whatever it subscribes to', async () => {
    const s = setup();
    const { endpoint } = await s.manage.add(actorOf(ORG_A), { url: 'https://hooks.example.com/a', events: ['consent.reconsent-needed'] });
    const test = await s.redeliver.sendTest(actorOf(ORG_A), endpoint.id);
    expect(JSON.parse(test.body)).toMatchObject({ type: 'webhook.test', organizationId: ORG_A, data: { webhookId: endpoint.id } });
    expect(s.audit.entries.at(-1)?.action).toBe('webhooks.test-sent');
  });

  it('refuses a test event or redelivery to a webhook whose host is (no longer) allowed, and queues nothing', async () => {
    const s = setup();
    s.options.allowedHosts = ['localhost'];
    const { endpoint, delivery } = await deliveryFor(s, 'https://localhost:8443/a');
    s.options.allowedHosts = [];
    s.jobs.jobs.length = 0;
    const deliveries = s.repo.deliveriesById.size;
    await expect(s.redeliver.sendTest(actorOf(ORG_A), endpoint.id)).rejects.toThrow(/only sends to public internet addresses/);
    await expect(s.redeliver.redeliver(actorOf(ORG_A), endpoint.id, delivery.id)).rejects.toThrow(
      /only sends to public internet addresses/,
    );
    expect(s.repo.deliveriesById.size).toBe(deliveries);
    expect(s.jobs.jobs).toHaveLength(0);
  });

  it('queues again a delivery overdue with nobody attempting it (its job was lost), and nothing else', async () => {
    const s = setup();
    const { delivery } = await deliveryFor(s);
    s.jobs.jobs.length = 0;
    expect(await s.sweep.execute()).toBe(0);
    s.clock.current = new Date(s.clock.current.getTime() + 61_000);
    expect(await s.sweep.execute()).toBe(1);
    expect(s.jobs.jobs).toEqual([
      { queue: DELIVER_WEBHOOK_QUEUE, data: { organizationId: ORG_A, deliveryId: delivery.id }, options: { singletonKey: delivery.id } },
    ]);
  });
});
