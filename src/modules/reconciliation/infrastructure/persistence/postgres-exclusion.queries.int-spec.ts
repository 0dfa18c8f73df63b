import { PostgresExclusionQueries } from './postgres-exclusion.queries';
import { PostgresSnapshotQueries } from './postgres-snapshot.queries';
import { E3, EXPLORATORY, VISIO, reconciliationReads } from '../testing/reconciliation-reads';

describe('the licensing exclusions read side on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adatum, contoso, fabrikam, exclusion } = reads;
  let queries: PostgresExclusionQueries;
  let snapshots: PostgresSnapshotQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresExclusionQueries(reads.em);
    snapshots = new PostgresSnapshotQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('exclusions and names', () => {
    it('lists exclusions newest first with the names they refer to and what they silence now', async () => {
      const list = await queries.exclusions(orgA);
      expect(list.map((e) => [e.id, e.companyName, e.productName, e.rule, e.reason, e.silencing])).toEqual([
        [exclusion.exploratory, null, 'Microsoft Teams Exploratory', 'ignore', 'Free product', 0],
        [exclusion.visioAtAdatum, 'Adatum Corporation', 'Visio Plan 2', 'ignore', 'Bought directly on purpose', 1],
      ]);
      expect(list[0]).toMatchObject({
        tenantId: null,
        skuId: EXPLORATORY,
        spare: null,
        createdAt: new Date('2026-11-21T10:00:00Z'),
        createdByName: 'Contoso Admin',
      });
      expect((await queries.exclusions(orgB)).map((e) => [e.id, e.companyName, e.rule, e.spare])).toEqual([
        [exclusion.bOwn, 'Adatum (as B knows it)', 'keep-spare', 2],
      ]);
    });

    it('offers the tenants and products of the latest runs to exclude, and names a product', async () => {
      const choices = await queries.exclusionChoices(orgA);
      expect(choices.tenants).toEqual([
        { tenantId: adatum, companyName: 'Adatum Corporation' },
        { tenantId: contoso, companyName: 'Contoso_100%' },
        { tenantId: fabrikam, companyName: 'Fabrikam, Inc.' },
      ]);
      expect(choices.products).toEqual([
        { skuId: E3, skuPartNumber: 'SPE_E3', productName: 'Microsoft 365 E3', free: false },
        { skuId: EXPLORATORY, skuPartNumber: 'TEAMS_EXPLORATORY', productName: 'Microsoft Teams Exploratory', free: true },
        { skuId: VISIO, skuPartNumber: 'VISIOCLIENT', productName: 'Visio Plan 2', free: false },
      ]);
      expect((await queries.exclusionChoices(orgB)).tenants).toEqual([{ tenantId: adatum, companyName: 'Adatum (as B knows it)' }]);
      expect(await snapshots.product(orgA, VISIO.toUpperCase())).toEqual({
        skuId: VISIO,
        skuPartNumber: 'VISIOCLIENT',
        productName: 'Visio Plan 2',
        free: false,
      });
      expect(await snapshots.product(orgB, VISIO)).toBeNull();
    });
  });
});
