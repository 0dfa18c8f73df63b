import type { TenantHoldings } from '../../licensing';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import type { ImportFinishedPayload } from '../../tenants/events';
import type { SkuPicture, SubscriptionPicture } from '../domain';
import { skuPicture, subscriptionPicture } from '../domain/testing/pictures';
import { DISCREPANCY_CLOSED, DISCREPANCY_OPENED, LICENCE_CHANGED, QUANTITY_CHANGED, RECONCILIATION_COMPLETED } from '../events';
import { InMemoryExclusions } from '../infrastructure/testing/in-memory-exclusions';
import { InMemoryLicenceHoldings, InMemoryReconciliationRuns, RecordingOutbox } from '../infrastructure/testing/in-memory-reconciliation';
import { FinalizeReconciliationUseCase } from './finalize-reconciliation.use-case';

const ORG = 'org-a';
const ADMIN = 'admin-1';

function held(skus: Array<Partial<SkuPicture>>, subscriptions: Array<Partial<SubscriptionPicture>>): TenantHoldings {
  return {
    licencesUnreadable: null,
    skus: skus.map((sku) => ({ lockedOut: 0, ...skuPicture(sku) })),
    subscriptions: subscriptions.map((s) => ({
      refundableQuantity: null,
      refundableUntil: null,
      scheduledQuantity: null,
      ...subscriptionPicture(s),
    })),
  };
}

// Three runs of one partner whose customers come and go: the first (the baseline), a second in the next month where
// tenants were removed and added between others, quantities moved, a suspension ended, a tenant could not be read and
// an exclusion now silences one problem, and a third whose customer list was refused.
async function reconcile(chunkTenants: number) {
  const runs = new InMemoryReconciliationRuns();
  const exclusions = new InMemoryExclusions();
  const licences = new InMemoryLicenceHoldings();
  const outbox = new RecordingOutbox();
  const clock = new FixedClock(new Date('2026-10-30T12:00:00Z'));
  const finalize = new FinalizeReconciliationUseCase(runs, exclusions, licences, outbox, new ImmediateTransaction(), clock, chunkTenants);
  const sub = (tenant: string, overrides: Partial<SubscriptionPicture> = {}) => ({ subscriptionId: `sub-${tenant}`, ...overrides });
  const set = (tenant: string, holdings: TenantHoldings) => licences.held.set(`t-${tenant}`, holdings);
  const finished = (
    importRunId: string,
    at: string,
    tenants: Array<[string, string, string?]>,
    status: 'completed' | 'failed' = 'completed',
  ): ImportFinishedPayload => ({
    importRunId,
    delegatedAdminId: ADMIN,
    trigger: 'schedule',
    status,
    error: status === 'failed' ? 'Partner Center refused the customer list.' : null,
    startedAt: new Date(new Date(at).getTime() - 60_000).toISOString(),
    finishedAt: at,
    tenants: tenants.map(([id, companyName, reason]) => ({ tenantId: `t-${id}`, companyName, read: !reason, reason: reason ?? null })),
  });

  set('alpine', held([{}], [sub('alpine')]));
  set('birch', held([{ assigned: 30 }], [sub('birch')]));
  set('cedar', held([{}], [sub('cedar', { status: 'suspended' })]));
  set('delta', held([{}], [sub('delta')]));
  set('elm', held([{ purchased: 10, assigned: 10 }], [sub('elm', { quantity: 10, tenantUnits: 10 })]));
  set('fir', held([{}], [sub('fir')]));
  set('grove', held([{ soldByYou: false, purchased: 5, assigned: 5 }], []));
  const first = await finalize.execute(
    ORG,
    finished('import-1', '2026-10-30T11:00:00Z', [
      ['grove', 'Grove Ltd'],
      ['alpine', 'Alpine Ski'],
      ['elm', 'Elm Street'],
      ['birch', 'Birch & Co'],
      ['delta', 'Delta Air'],
      ['cedar', 'cedar partners'],
      ['fir', 'Fir Trees'],
    ]),
  );

  clock.current = new Date('2026-11-02T12:00:00Z');
  set('aspen', held([{}], [sub('aspen')]));
  set('cedar', held([{}], [sub('cedar')]));
  set('delta', held([{ purchased: 30, assigned: 25 }], [sub('delta', { quantity: 30, tenantUnits: 30 })]));
  set('ember', held([{ purchased: 10, assigned: 12 }], [sub('ember', { quantity: 10, tenantUnits: 10 })]));
  exclusions.rows.set('exclusion-grove', {
    id: 'exclusion-grove',
    organizationId: ORG,
    tenantId: 't-grove',
    skuId: null,
    rule: 'ignore',
    spare: null,
    reason: 'Bought directly on purpose',
    createdAt: clock.current,
    createdByName: 'Contoso Admin',
  });
  const second = await finalize.execute(
    ORG,
    finished('import-2', '2026-11-02T11:00:00Z', [
      ['alpine', 'Alpine Ski'],
      ['ember', 'Ember Inc'],
      ['aspen', 'Aspen Wood'],
      ['cedar', 'cedar partners'],
      ['delta', 'Delta Air'],
      ['fir', 'Fir Trees', 'The GDAP relationship expired.'],
      ['grove', 'Grove Ltd'],
    ]),
  );

  clock.current = new Date('2026-11-03T12:00:00Z');
  const third = await finalize.execute(ORG, finished('import-3', '2026-11-03T11:00:00Z', [], 'failed'));
  return { runs, outbox, licences, results: [first, second, third] };
}

// What was stored and published, without the ids drawn at random: a change event names its change by its place in
// the run's changes.
function outcome({ runs, outbox }: Awaited<ReturnType<typeof reconcile>>) {
  const stored = runs.stored.map(({ run: { id: _, ...run }, pictures, changes, open, silenced }) => ({
    run,
    pictures: [...pictures].sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
    changes: changes.map(({ id: _id, ...change }) => change),
    open: [...open].sort((a, b) => a.key.localeCompare(b.key)),
    silenced: [...silenced].sort((a, b) => a.discrepancy.key.localeCompare(b.discrepancy.key)),
  }));
  const events = outbox.events.map((event) => {
    const { runId, changeId, ...payload } = event.payload as { runId: string; changeId?: string };
    const run = runs.stored.findIndex((s) => s.run.id === runId);
    const change = changeId === undefined ? undefined : runs.stored[run].changes.findIndex((c) => c.id === changeId);
    return { name: event.name, run, change, payload };
  });
  // Each kind of event of a run in its order (a chunk publishes its changes, then its opened and closed discrepancies).
  const byKind = new Map<string, typeof events>();
  for (const event of events) byKind.set(`${event.run} ${event.name}`, [...(byKind.get(`${event.run} ${event.name}`) ?? []), event]);
  const monthEnds = runs.monthEnds.map(({ runId, ...m }) => ({ ...m, run: runs.stored.findIndex((s) => s.run.id === runId) }));
  return { stored, monthEnds, events, byKind: [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

describe('finalizing a reconciliation run a chunk of tenants at a time', () => {
  it('stores and publishes what one pass over every tenant does, whatever the chunk size (tenants removed and added across chunks)', async () => {
    const whole = await reconcile(1000);
    expect(Math.max(...whole.licences.asked)).toBe(7);
    const expected = outcome(whole);
    expect(expected.events.length).toBeGreaterThan(10);
    for (const size of [1, 2, 3]) {
      const chunked = await reconcile(size);
      // The licence records were read a chunk at a time…
      expect(Math.max(...chunked.licences.asked)).toBe(size);
      // …and nothing was lost or written twice (the in-memory runs refuse a tenant or a discrepancy stored twice).
      const { events: _, ...found } = outcome(chunked);
      const { events: __, ...whole } = expected;
      expect(found).toEqual(whole);
    }
  });

  it('reports removed and added tenants, closes what went away and counts what it stored', async () => {
    const reconciled = await reconcile(2);
    const { stored, events, monthEnds } = outcome(reconciled);
    const [first, second, third] = stored;
    expect(first.run).toMatchObject({ tenantsRead: 7, tenantsFailed: 0, changes: 0, openDiscrepancies: 3 });
    expect(second.changes.map((c) => `${c.kind} ${c.tenantId}`)).toEqual([
      'tenant.added t-aspen',
      'tenant.removed t-birch',
      'subscription.reactivated t-cedar',
      'subscription.quantity-changed t-delta',
      'tenant.removed t-elm',
      'tenant.added t-ember',
    ]);
    expect(second.run).toMatchObject({ tenantsRead: 6, tenantsFailed: 1, changes: 6, openDiscrepancies: second.open.length });
    expect(second.pictures.map((p) => p.tenantId)).toEqual(['t-alpine', 't-aspen', 't-cedar', 't-delta', 't-ember', 't-fir', 't-grove']);
    expect(second.silenced.map((s) => s.discrepancy.key)).toEqual(['not-sold-by-you|t-grove|cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46|']);
    expect(third.run).toMatchObject({ tenantsRead: 0, tenantsFailed: 7, changes: 0, openDiscrepancies: 7 });
    expect(monthEnds).toEqual([{ organizationId: ORG, delegatedAdminId: ADMIN, month: '2026-10', run: 0 }]);

    const ofRun = (run: number, name: string) =>
      events
        .filter((e) => e.run === run && e.name === name)
        .map((e) => (e.payload as { key?: string }).key ?? e.change)
        .sort();
    // Every change once, each with its own event.
    expect(ofRun(1, LICENCE_CHANGED).concat(ofRun(1, QUANTITY_CHANGED)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ofRun(1, DISCREPANCY_CLOSED)).toEqual([
      'not-sold-by-you|t-grove|cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46|',
      'over-assigned|t-birch|cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46|',
      'subscription-suspended|t-cedar|cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46|sub-cedar',
    ]);
    expect(ofRun(1, DISCREPANCY_OPENED)).toEqual(
      second.open
        .map((d) => d.key)
        .filter((key) => !first.open.some((d) => d.key === key))
        .sort(),
    );
    expect(ofRun(1, DISCREPANCY_OPENED)).toEqual(
      expect.arrayContaining(['over-assigned|t-ember|cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46|', 'tenant-unreadable|t-fir||']),
    );
    // One completion per run, after everything else of the run, with the run's counts.
    const completed = events.filter((e) => e.name === RECONCILIATION_COMPLETED);
    expect(completed.map((e) => e.run)).toEqual([0, 1, 2]);
    expect(completed[1].payload).toMatchObject({ tenantsRead: 6, tenantsFailed: 1, changes: 6, openDiscrepancies: second.open.length });
    for (const [run, event] of completed.entries()) expect(events.findLastIndex((e) => e.run === run)).toBe(events.indexOf(event));
    expect(reconciled.results.map((r) => r?.changes)).toEqual([0, 6, 0]);
  });
});
