import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import type { AppConfig } from '../../../../config/app-config';
import { AesGcmSecretCipher } from '../../../../shared/infrastructure/crypto/aes-gcm-secret-cipher';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import type { WebhookDelivery } from '../../domain/webhook-delivery';
import type { WebhookEndpoint } from '../../domain/webhook-endpoint';
import { PostgresWebhookRepository } from './postgres-webhook.repository';

describe('webhook endpoints and deliveries on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let repo: PostgresWebhookRepository;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const at = (iso: string) => new Date(iso);
  const endpointOf = (organizationId: string, events: WebhookEndpoint['events']): WebhookEndpoint => ({
    id: randomUUID(),
    organizationId,
    url: `https://${organizationId.slice(0, 8)}.example.com/hook`,
    events,
    createdAt: at('2026-11-27T10:00:00Z'),
    createdByName: 'Ada',
    secretRotatedAt: null,
  });
  const deliveryOf = (endpoint: WebhookEndpoint, nextAttemptAt = at('2026-11-27T10:00:00Z')): WebhookDelivery => ({
    id: randomUUID(),
    organizationId: endpoint.organizationId,
    endpointId: endpoint.id,
    eventId: randomUUID(),
    eventType: 'tenants.import-finished',
    body: '{"id":"x","data":{"n":1}}',
    state: 'pending',
    attempts: 0,
    nextAttemptAt,
    createdAt: at('2026-11-27T10:00:00Z'),
    requestedByName: null,
    redeliveryOf: null,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { allowGlobalContext: true }));
    repo = new PostgresWebhookRepository(orm.em, new AesGcmSecretCipher({ tokenEncryptionKey: randomBytes(32) } as AppConfig));
    await orm.em
      .getConnection()
      .execute(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'A', now()), (?, ?, 'B', now())`, [
        orgA,
        randomUUID(),
        orgB,
        randomUUID(),
      ]);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('stores the secret only encrypted, gives it back to sign, and scopes endpoints to their organization', async () => {
    const a = endpointOf(orgA, ['tenants.import-finished', 'licensing.quantity-changed']);
    const b = endpointOf(orgB, ['tenants.import-finished']);
    await repo.addEndpoint(a, randomUUID(), 'whsec_secret-of-a');
    await repo.addEndpoint(b, randomUUID(), 'whsec_secret-of-b');
    const [row] = await orm.em
      .getConnection()
      .execute<{ secret_ciphertext: string }[]>('select secret_ciphertext from webhook_endpoints where id = ?', [a.id]);
    expect(row.secret_ciphertext).toMatch(/^v1\./);
    expect(row.secret_ciphertext).not.toContain('secret-of-a');

    expect(await repo.findEndpoint(orgA, a.id)).toMatchObject({ url: a.url, events: a.events });
    expect(await repo.findEndpoint(orgB, a.id)).toBeNull();
    expect(await repo.findEndpoint(orgA, 'not-a-uuid')).toBeNull();
    expect((await repo.endpointsSubscribedTo(orgA, 'tenants.import-finished')).map((e) => e.id)).toEqual([a.id]);
    expect(await repo.endpointsSubscribedTo(orgA, 'consent.reconsent-needed')).toEqual([]);
    expect(await repo.replaceSecret(orgB, a.id, 'whsec_stolen', new Date())).toBe(false);
    expect(await repo.removeEndpoint(orgB, a.id)).toBe(false);

    const delivery = deliveryOf(a);
    await repo.addDeliveries([delivery]);
    const claimed = await repo.claim(orgA, delivery.id, at('2026-11-27T10:01:00Z'), at('2026-11-27T10:00:00Z'));
    expect(claimed).toMatchObject({
      url: a.url,
      secret: 'whsec_secret-of-a',
      delivery: { id: delivery.id, body: delivery.body, state: 'pending' },
    });
    expect(await repo.claim(orgB, delivery.id, at('2026-11-27T10:01:00Z'), at('2026-11-27T10:00:00Z'))).toBeNull();
  });

  it('lets one worker at a time attempt a delivery, records each attempt, and finds the ones whose job was lost', async () => {
    const endpoint = endpointOf(orgA, ['tenants.import-finished']);
    await repo.addEndpoint(endpoint, randomUUID(), 'whsec_s');
    const delivery = deliveryOf(endpoint);
    await repo.addDeliveries([delivery]);
    const now = at('2026-11-27T10:00:00Z');

    expect(await repo.claim(orgA, delivery.id, at('2026-11-27T10:00:40Z'), now)).not.toBeNull();
    expect(await repo.claim(orgA, delivery.id, at('2026-11-27T10:00:41Z'), at('2026-11-27T10:00:01Z'))).toBeNull();
    // Held: not overdue for the sweeper either, until the claim runs out (a worker that died).
    expect((await repo.overdue(at('2026-11-27T10:00:30Z'), at('2026-11-27T10:00:31Z'), 10)).map((d) => d.deliveryId)).not.toContain(
      delivery.id,
    );
    expect((await repo.overdue(at('2026-11-27T10:00:30Z'), at('2026-11-27T10:00:41Z'), 10)).map((d) => d.deliveryId)).toContain(
      delivery.id,
    );

    await repo.recordAttempt(
      orgA,
      delivery.id,
      {
        attempt: 1,
        attemptedAt: at('2026-11-27T10:00:02Z'),
        status: 500,
        error: 'The endpoint answered 500.',
        durationMs: 12.6,
        responseExcerpt: 'oops',
      },
      { state: 'retrying', nextAttemptAt: at('2026-11-27T10:00:12Z') },
    );
    expect(await repo.findDelivery(orgA, delivery.id)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastStatus: 500,
      lastError: 'The endpoint answered 500.',
      nextAttemptAt: at('2026-11-27T10:00:12Z'),
    });
    // The claim is released with the attempt.
    expect(await repo.claim(orgA, delivery.id, at('2026-11-27T10:00:52Z'), at('2026-11-27T10:00:12Z'))).not.toBeNull();
    await repo.recordAttempt(
      orgA,
      delivery.id,
      { attempt: 2, attemptedAt: at('2026-11-27T10:00:13Z'), status: 204, error: null, durationMs: 3, responseExcerpt: null },
      { state: 'delivered', nextAttemptAt: null },
    );

    expect(await repo.findDelivery(orgA, delivery.id)).toMatchObject({
      state: 'delivered',
      attempts: 2,
      lastStatus: 204,
      lastError: null,
      deliveredAt: at('2026-11-27T10:00:13Z'),
    });
    expect(await repo.attempts(orgA, delivery.id)).toEqual([
      {
        attempt: 1,
        attemptedAt: at('2026-11-27T10:00:02Z'),
        status: 500,
        error: 'The endpoint answered 500.',
        durationMs: 13,
        responseExcerpt: 'oops',
      },
      { attempt: 2, attemptedAt: at('2026-11-27T10:00:13Z'), status: 204, error: null, durationMs: 3, responseExcerpt: null },
    ]);
    expect(await repo.attempts(orgB, delivery.id)).toEqual([]);
    expect(await repo.claim(orgA, delivery.id, at('2026-11-27T11:00:00Z'), at('2026-11-27T10:30:00Z'))).toBeNull();
    expect((await repo.overdue(at('2026-11-27T12:00:00Z'), at('2026-11-27T12:00:00Z'), 10)).map((d) => d.deliveryId)).not.toContain(
      delivery.id,
    );
  });

  it('shows the latest delivery per endpoint and removes an endpoint with its log', async () => {
    const endpoint = endpointOf(orgB, ['licensing.discrepancy-opened']);
    await repo.addEndpoint(endpoint, randomUUID(), 'whsec_s');
    const older = { ...deliveryOf(endpoint), createdAt: at('2026-11-27T09:00:00Z') };
    const newer = { ...deliveryOf(endpoint), createdAt: at('2026-11-27T10:00:00Z'), eventType: 'webhook.test' };
    await repo.addDeliveries([older, newer]);
    await repo.recordAttempt(
      orgB,
      older.id,
      { attempt: 1, attemptedAt: at('2026-11-27T09:00:01Z'), status: 200, error: null, durationMs: 1, responseExcerpt: null },
      { state: 'delivered', nextAttemptAt: null },
    );

    const summary = (await repo.endpoints(orgB)).find((e) => e.id === endpoint.id);
    expect(summary?.lastDelivery).toMatchObject({ eventType: 'webhook.test', state: 'pending' });
    expect((await repo.deliveries(orgB, endpoint.id, 10)).map((d) => d.id)).toEqual([newer.id, older.id]);
    expect(await repo.deliveries(orgA, endpoint.id, 10)).toEqual([]);

    expect(await repo.removeEndpoint(orgB, endpoint.id)).toBe(true);
    expect(await repo.findDelivery(orgB, older.id)).toBeNull();
    expect(await repo.attempts(orgB, older.id)).toEqual([]);
  });
});
