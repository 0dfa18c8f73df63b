import { randomUUID } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/postgresql';
import type { TestDatabase } from '../../../../../test/support/test-database';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { MikroOrmEventOutbox } from '../../../../shared/infrastructure/jobs/mikro-orm-event-outbox';
import { FixedClock } from '../../../../shared/testing/fakes';
import { RecordTenantLicencesUseCase, type RecordTenantLicencesCommand } from '../../application/record-tenant-licences.use-case';
import { LicensingQueries, type SoldLicenceView } from '../../contracts/licensing-queries';
import {
  directorySubscriptionSnapshot,
  externalDirectorySubscriptionSnapshot,
  SKU_IDS,
  skuSnapshot,
  subscriptionSnapshot,
} from '../testing/licence-snapshots';
import { licensingTestDatabase } from '../testing/licensing-test-database';
import { MikroOrmLicensedTenantRepository } from './mikro-orm-licensed-tenant.repository';
import { PostgresLicensingQueries } from './postgres-licensing.queries';

// soldLicences' set-based statement (billing's whole-organization read) against the composition it replaces for
// billing: allLicences + licenceSales, on the same stored organization.
describe('every licence with how it is sold, set-based, on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let queries: PostgresLicensingQueries;
  let recordTenantLicences: RecordTenantLicencesUseCase;
  const orgA = randomUUID();
  const orgB = randomUUID();
  // Sorted, so the batches of two below split where the keyset does.
  const [sold, twoTerms, neverRead, unreadable, pcOnly, graphSays, noLicences] = Array.from({ length: 7 }, () => randomUUID()).sort();

  beforeAll(async () => {
    ({ db, orm } = await licensingTestDatabase([orgA, orgB]));
    recordTenantLicences = new RecordTenantLicencesUseCase(
      new MikroOrmLicensedTenantRepository(orm.em),
      new MikroOrmTransaction(orm.em),
      new MikroOrmEventOutbox(orm.em),
      new FixedClock(new Date('2026-11-26T12:00:00Z')),
    );
    queries = new PostgresLicensingQueries(orm.em);

    const visio = skuSnapshot({
      skuId: SKU_IDS.visioPlan2,
      skuPartNumber: 'VISIOCLIENT',
      productName: null,
      activeUnits: 5,
      consumedUnits: 2,
    });
    const copilot = skuSnapshot({ skuId: SKU_IDS.copilot, skuPartNumber: 'Microsoft_365_Copilot', productName: null, activeUnits: 3 });
    // Business Premium sold through Partner Center (the directory spells its id in upper case), Visio bought elsewhere.
    const premium = subscriptionSnapshot({ id: randomUUID() });
    await record({
      tenantId: sold,
      skus: [skuSnapshot(), visio],
      subscriptions: [premium],
      directory: {
        subscriptions: [
          directorySubscriptionSnapshot({ commerceSubscriptionId: ` ${premium.id.toUpperCase()}` }),
          externalDirectorySubscriptionSnapshot(),
        ],
      },
    });
    // One SKU sold as two subscriptions of different terms (and a deleted third), each named by its directory subscription.
    const yearly = subscriptionSnapshot({ id: randomUUID(), quantity: 20 });
    const monthly = subscriptionSnapshot({ id: randomUUID(), quantity: 5, termDuration: 'P1M' });
    const deleted = subscriptionSnapshot({ id: randomUUID(), quantity: 40, status: 'deleted' });
    await record({
      tenantId: twoTerms,
      skus: [skuSnapshot({ activeUnits: 25, warningUnits: 2, consumedUnits: 26 }), copilot],
      subscriptions: [yearly, monthly, deleted],
      directory: {
        subscriptions: [yearly, monthly, deleted].map((s, i) =>
          directorySubscriptionSnapshot({ id: randomUUID(), commerceSubscriptionId: s.id, totalLicenses: s.quantity + i }),
        ),
      },
    });
    // The directory never read: nobody knows who sold what.
    await record({ tenantId: neverRead, skus: [skuSnapshot(), visio], directory: { unreadable: 'No GDAP relationship.' } });
    // Licences read once, then unreadable: listed by neither.
    await record({ tenantId: unreadable });
    await record({ tenantId: unreadable, readAt: '2026-11-27T10:00:00.000Z', skus: [], licencesUnreadable: 'GDAP role missing.' });
    // A Partner Center subscription no directory subscription names yet.
    await record({
      tenantId: pcOnly,
      skus: [skuSnapshot(), copilot],
      subscriptions: [subscriptionSnapshot({ id: randomUUID() })],
      directory: { subscriptions: [] },
    });
    // Graph's ownerTenantId decides over the match: named by one of yours yet sold by another partner, and the reverse.
    const resold = subscriptionSnapshot({ id: randomUUID() });
    await record({
      tenantId: graphSays,
      skus: [skuSnapshot(), visio],
      subscriptions: [resold],
      directory: {
        subscriptions: [
          directorySubscriptionSnapshot({ commerceSubscriptionId: resold.id, soldByYou: false }),
          externalDirectorySubscriptionSnapshot({ soldByYou: true }),
        ],
      },
    });
    await record({ tenantId: noLicences, skus: [], subscriptions: [] });
    // Org B: the first tenant again, with other seats and nothing sold by it; and a tenant of its own.
    await record({
      organizationId: orgB,
      tenantId: sold,
      skus: [skuSnapshot({ activeUnits: 99, consumedUnits: 1 })],
      subscriptions: [subscriptionSnapshot({ id: randomUUID(), termDuration: 'P3Y' })],
      directory: { subscriptions: [externalDirectorySubscriptionSnapshot({ skuId: SKU_IDS.businessPremium })] },
    });
    await record({ organizationId: orgB, tenantId: randomUUID() });
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function record(command: Partial<RecordTenantLicencesCommand> & { tenantId: string }) {
    await recordTenantLicences.execute({
      organizationId: orgA,
      importRunId: randomUUID(),
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [skuSnapshot()],
      subscriptions: [],
      ...command,
    });
    orm.em.clear();
  }

  async function batches(read: AsyncIterable<SoldLicenceView[]>): Promise<SoldLicenceView[][]> {
    const all: SoldLicenceView[][] = [];
    for await (const batch of read) all.push(batch);
    return all;
  }

  // The composition the set-based statement replaces, on the same queries object.
  const composed = (organizationId: string, tenantsPerBatch: number) =>
    LicensingQueries.prototype.soldLicences.call(queries, organizationId, { tenantsPerBatch });

  // Which subscriptions sell a licence is a set (billing picks the main one by seats, then id).
  const comparable = (views: SoldLicenceView[]) =>
    views.map((v) => ({ ...v, subscriptions: [...v.subscriptions].sort((a, b) => (a.id < b.id ? -1 : 1)) }));

  it.each([1, 2, 200])('answers what allLicences and licenceSales answer together (%i tenants a batch), in their order', async (size) => {
    const setBased = (await batches(queries.soldLicences(orgA, { tenantsPerBatch: size }))).flat();
    const expected = (await batches(composed(orgA, size))).flat();

    expect(comparable(setBased)).toEqual(comparable(expected));
    // Every readable tenant's licences, by tenant then product name.
    expect(setBased.map((l) => [l.tenantId, l.productName])).toEqual([
      [sold, 'Microsoft 365 Business Premium'],
      [sold, 'Visio Plan 2'],
      [twoTerms, 'Microsoft 365 Business Premium'],
      [twoTerms, 'Microsoft 365 Copilot'],
      [neverRead, 'Microsoft 365 Business Premium'],
      [neverRead, 'Visio Plan 2'],
      [pcOnly, 'Microsoft 365 Business Premium'],
      [pcOnly, 'Microsoft 365 Copilot'],
      [graphSays, 'Microsoft 365 Business Premium'],
      [graphSays, 'Visio Plan 2'],
    ]);
  });

  it('says who sold each licence and through which subscriptions, as the matching does', async () => {
    const views = (await batches(queries.soldLicences(orgA, { tenantsPerBatch: 2 }))).flat();
    const of = (tenantId: string, skuId: string) => views.find((v) => v.tenantId === tenantId && v.skuId === skuId);

    expect(of(sold, SKU_IDS.businessPremium)).toMatchObject({ purchased: 25, assigned: 20, soldByYou: true });
    expect(of(sold, SKU_IDS.businessPremium)?.subscriptions).toEqual([
      expect.objectContaining({ quantity: 25, termDuration: 'P1Y', billingCycle: 'monthly', status: 'active' }),
    ]);
    expect(of(sold, SKU_IDS.visioPlan2)).toMatchObject({ soldByYou: false, subscriptions: [] });
    expect(of(twoTerms, SKU_IDS.businessPremium)).toMatchObject({ purchased: 27, assigned: 26, soldByYou: true });
    expect(
      of(twoTerms, SKU_IDS.businessPremium)
        ?.subscriptions.map((s) => [s.quantity, s.termDuration, s.status])
        .sort(),
    ).toEqual([
      [20, 'P1Y', 'active'],
      [40, 'P1Y', 'deleted'],
      [5, 'P1M', 'active'],
    ]);
    expect(of(twoTerms, SKU_IDS.copilot)).toMatchObject({ soldByYou: false, subscriptions: [] });
    expect(of(neverRead, SKU_IDS.businessPremium)).toMatchObject({ soldByYou: null, subscriptions: [] });
    expect(of(pcOnly, SKU_IDS.businessPremium)).toMatchObject({ soldByYou: false, subscriptions: [] });
    expect(of(graphSays, SKU_IDS.businessPremium)).toMatchObject({ soldByYou: false });
    expect(of(graphSays, SKU_IDS.businessPremium)?.subscriptions).toHaveLength(1);
    expect(of(graphSays, SKU_IDS.visioPlan2)).toMatchObject({ soldByYou: true, subscriptions: [] });
    expect(views.some((v) => v.tenantId === unreadable || v.tenantId === noLicences)).toBe(false);
  });

  it("keeps organizations apart: org A never sees org B's rows of the same tenant, nor the reverse", async () => {
    const a = (await batches(queries.soldLicences(orgA, { tenantsPerBatch: 200 }))).flat();
    const b = (await batches(queries.soldLicences(orgB, { tenantsPerBatch: 200 }))).flat();

    expect(a.filter((v) => v.tenantId === sold).map((v) => [v.skuId, v.purchased, v.soldByYou])).toEqual([
      [SKU_IDS.businessPremium, 25, true],
      [SKU_IDS.visioPlan2, 5, false],
    ]);
    expect(a.flatMap((v) => v.subscriptions).some((s) => s.termDuration === 'P3Y')).toBe(false);
    const bSold = b.filter((v) => v.tenantId === sold);
    expect(bSold.map((v) => [v.skuId, v.purchased, v.soldByYou, v.subscriptions])).toEqual([[SKU_IDS.businessPremium, 99, false, []]]);
    expect(b).toHaveLength(2);
    expect(comparable(b)).toEqual(comparable((await batches(composed(orgB, 200))).flat()));
  });
});
