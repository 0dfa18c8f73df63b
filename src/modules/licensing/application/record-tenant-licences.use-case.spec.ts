import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { InMemoryLicensedTenants, RecordingOutbox } from '../infrastructure/testing/in-memory-licensing';
import {
  directorySubscriptionSnapshot,
  externalDirectorySubscriptionSnapshot,
  SKU_IDS,
  skuSnapshot,
  subscriptionSnapshot,
} from '../infrastructure/testing/licence-snapshots';
import { RecordTenantLicencesUseCase, type RecordTenantLicencesCommand } from './record-tenant-licences.use-case';

const ORG = 'org-1';
const OTHER_ORG = 'org-2';
const TENANT = '6a2f51c8-1d4e-4b0a-9f3e-2c7d8e9f0a1b';

function setup() {
  const clock = new FixedClock(new Date('2026-11-26T10:00:05Z'));
  const repository = new InMemoryLicensedTenants();
  const outbox = new RecordingOutbox();
  const useCase = new RecordTenantLicencesUseCase(repository, new ImmediateTransaction(), outbox, clock);
  const read = (overrides: Partial<RecordTenantLicencesCommand> = {}) =>
    useCase.execute({
      organizationId: ORG,
      importRunId: 'run-1',
      tenantId: TENANT,
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [
        skuSnapshot(),
        skuSnapshot({
          skuId: SKU_IDS.copilot,
          skuPartNumber: 'Microsoft_365_Copilot',
          productName: null,
          activeUnits: 5,
          consumedUnits: 5,
        }),
      ],
      subscriptions: [subscriptionSnapshot()],
      ...overrides,
    });
  return { clock, repository, outbox, read };
}

describe('recording the licences of a tenant an import read', () => {
  it('stores the SKUs and subscriptions and publishes licensing.licences-recorded with the seat totals', async () => {
    const { repository, outbox, read } = setup();
    await read();
    expect(repository.licencesOf(ORG, TENANT).map((l) => [l.skuId, l.activeUnits, l.consumedUnits])).toEqual([
      [SKU_IDS.copilot, 5, 5],
      [SKU_IDS.businessPremium, 25, 20],
    ]);
    expect(repository.subscriptionsOf(ORG, TENANT).map((s) => s.subscriptionId)).toEqual([subscriptionSnapshot().id]);
    expect(repository.reads.get(`${ORG}/${TENANT}`)).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(outbox.events).toEqual([
      expect.objectContaining({
        name: 'licensing.licences-recorded',
        organizationId: ORG,
        occurredAt: '2026-11-26T10:00:05.000Z',
        payload: {
          importRunId: 'run-1',
          tenantId: TENANT,
          purchased: 30,
          assigned: 25,
          hasUnassignedSeats: true,
          licencesUnreadable: null,
        },
      }),
    ]);
  });

  it('writes no licence or subscription on an identical second read, records the read time and still publishes', async () => {
    const { repository, outbox, read } = setup();
    await read();
    const firstChangedAt = repository.licencesOf(ORG, TENANT).map((l) => l.changedAt);
    repository.writes = { inserted: 0, updated: 0, deleted: 0, reads: 0 };

    const outcome = await read({ importRunId: 'run-2', readAt: '2026-11-27T10:00:00.000Z' });

    expect(outcome.changed).toBe(false);
    expect(repository.writes).toEqual({ inserted: 0, updated: 0, deleted: 0, reads: 1 });
    expect(repository.licencesOf(ORG, TENANT).map((l) => l.changedAt)).toEqual(firstChangedAt);
    expect(repository.reads.get(`${ORG}/${TENANT}`)).toEqual(new Date('2026-11-27T10:00:00Z'));
    expect(outbox.events.map((e) => e.payload)).toEqual([
      { importRunId: 'run-1', tenantId: TENANT, purchased: 30, assigned: 25, hasUnassignedSeats: true, licencesUnreadable: null },
      { importRunId: 'run-2', tenantId: TENANT, purchased: 30, assigned: 25, hasUnassignedSeats: true, licencesUnreadable: null },
    ]);
  });

  it('updates what changed and deletes SKUs and subscriptions that vanished', async () => {
    const { repository, outbox, read } = setup();
    await read();
    repository.writes = { inserted: 0, updated: 0, deleted: 0, reads: 0 };

    await read({ importRunId: 'run-2', readAt: '2026-11-27T10:00:00.000Z', skus: [skuSnapshot({ consumedUnits: 25 })], subscriptions: [] });

    expect(repository.writes).toEqual({ inserted: 0, updated: 1, deleted: 2, reads: 1 });
    expect(repository.licencesOf(ORG, TENANT).map((l) => [l.skuId, l.consumedUnits, l.changedAt])).toEqual([
      [SKU_IDS.businessPremium, 25, new Date('2026-11-27T10:00:00Z')],
    ]);
    expect(repository.subscriptionsOf(ORG, TENANT)).toEqual([]);
    expect(outbox.events[1].payload).toEqual({
      importRunId: 'run-2',
      tenantId: TENANT,
      purchased: 25,
      assigned: 25,
      hasUnassignedSeats: false,
      licencesUnreadable: null,
    });
  });

  it('keeps each organization to its own licences', async () => {
    const { repository, read } = setup();
    await read();
    await read({ organizationId: OTHER_ORG, skus: [skuSnapshot({ activeUnits: 3, consumedUnits: 1 })], subscriptions: [] });
    expect(repository.licencesOf(ORG, TENANT)).toHaveLength(2);
    expect(repository.licencesOf(OTHER_ORG, TENANT).map((l) => l.activeUnits)).toEqual([3]);
    expect(repository.subscriptionsOf(ORG, TENANT)).toHaveLength(1);
  });

  it('records an empty read (every licence cancelled) as zero seats', async () => {
    const { repository, outbox, read } = setup();
    await read();
    await read({ readAt: '2026-11-27T10:00:00.000Z', skus: [], subscriptions: [] });
    expect(repository.licencesOf(ORG, TENANT)).toEqual([]);
    expect(outbox.events[1].payload).toMatchObject({ purchased: 0, assigned: 0, hasUnassignedSeats: false });
  });

  it('ignores an older read delivered late, and reports the newer totals for it', async () => {
    const { repository, outbox, read } = setup();
    await read({ readAt: '2026-11-27T10:00:00.000Z' });
    repository.writes = { inserted: 0, updated: 0, deleted: 0, reads: 0 };
    const outcome = await read({ importRunId: 'run-0', readAt: '2026-11-26T09:00:00.000Z', skus: [] });
    expect(outcome.outcome).toBe('stale');
    expect(repository.writes).toEqual({ inserted: 0, updated: 0, deleted: 0, reads: 0 });
    expect(repository.licencesOf(ORG, TENANT)).toHaveLength(2);
    expect(outbox.events[1].payload).toEqual({
      importRunId: 'run-0',
      tenantId: TENANT,
      purchased: 30,
      assigned: 25,
      hasUnassignedSeats: true,
      licencesUnreadable: null,
    });
  });

  it('takes the clock as the read time when the event carries an unreadable one', async () => {
    const { repository, clock, read } = setup();
    await read({ readAt: 'not a date' });
    expect(repository.reads.get(`${ORG}/${TENANT}`)).toEqual(clock.now());
  });

  it("stores the tenant's directory subscriptions and when they were read", async () => {
    const { repository, read } = setup();
    await read({ directory: { subscriptions: [directorySubscriptionSnapshot(), externalDirectorySubscriptionSnapshot()] } });

    expect(repository.directorySubscriptionsOf(ORG, TENANT).map((s) => [s.skuPartNumber, s.totalLicenses])).toEqual([
      ['SPB', 25],
      ['VISIOCLIENT', 5],
    ]);
    expect(repository.directoryReads.get(`${ORG}/${TENANT}`)).toEqual({ readAt: new Date('2026-11-26T10:00:00Z'), failure: null });
  });

  it('writes no directory row on an identical re-read', async () => {
    const { repository, read } = setup();
    await read({ directory: { subscriptions: [directorySubscriptionSnapshot()] } });
    repository.writes = { inserted: 0, updated: 0, deleted: 0, reads: 0 };

    const outcome = await read({
      importRunId: 'run-2',
      readAt: '2026-11-27T10:00:00.000Z',
      directory: { subscriptions: [directorySubscriptionSnapshot()] },
    });

    expect(outcome.changed).toBe(false);
    expect(repository.writes).toEqual({ inserted: 0, updated: 0, deleted: 0, reads: 1 });
    expect(repository.directoryReads.get(`${ORG}/${TENANT}`)?.readAt).toEqual(new Date('2026-11-27T10:00:00Z'));
  });

  it('keeps the directory subscriptions of the last good read, and says why, when the directory cannot be read now', async () => {
    const { repository, outbox, read } = setup();
    await read({ directory: { subscriptions: [directorySubscriptionSnapshot(), externalDirectorySubscriptionSnapshot()] } });

    await read({
      importRunId: 'run-2',
      readAt: '2026-11-27T10:00:00.000Z',
      directory: { unreadable: 'Microsoft did not issue a token for this customer’s directory (AADSTS50020).' },
    });

    expect(repository.directorySubscriptionsOf(ORG, TENANT)).toHaveLength(2);
    expect(repository.directoryReads.get(`${ORG}/${TENANT}`)).toEqual({
      readAt: new Date('2026-11-26T10:00:00Z'),
      failure: {
        reason: 'Microsoft did not issue a token for this customer’s directory (AADSTS50020).',
        at: new Date('2026-11-27T10:00:00Z'),
      },
    });
    expect(outbox.events).toHaveLength(2);
  });

  it('keeps each organization to its own directory subscriptions', async () => {
    const { repository, read } = setup();
    await read({ directory: { subscriptions: [directorySubscriptionSnapshot()] } });
    await read({ organizationId: OTHER_ORG, directory: { subscriptions: [] } });

    expect(repository.directorySubscriptionsOf(ORG, TENANT)).toHaveLength(1);
    expect(repository.directorySubscriptionsOf(OTHER_ORG, TENANT)).toEqual([]);
  });
});
