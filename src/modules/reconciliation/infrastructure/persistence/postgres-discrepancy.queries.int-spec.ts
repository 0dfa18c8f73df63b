import { PostgresDiscrepancyQueries } from './postgres-discrepancy.queries';
import { E3, reconciliationReads } from '../testing/reconciliation-reads';

describe('the discrepancies of the latest reconciliation runs on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adatum, contoso, fabrikam, run, exclusion } = reads;
  let queries: PostgresDiscrepancyQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresDiscrepancyQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('discrepancies of the latest runs', () => {
    it('lists the open ones of each latest run in the order of the kinds, counts them per kind and counts the silenced', async () => {
      const found = await queries.latestDiscrepancies(orgA);
      expect(found.items.map((d) => [d.kind, d.companyName])).toEqual([
        ['unassigned-seats', 'Adatum Corporation'],
        ['subscription-ending', 'Fabrikam, Inc.'],
        ['tenant-unreadable', 'Contoso_100%'],
      ]);
      expect(found.total).toBe(3);
      expect(found.countsByKind).toEqual([
        { kind: 'unassigned-seats', count: 1 },
        { kind: 'subscription-ending', count: 1 },
        { kind: 'tenant-unreadable', count: 1 },
      ]);
      expect(found.silenced).toBe(1);
      expect(found.items[0]).toMatchObject({
        runId: run.a1Latest,
        tenantId: adatum,
        skuId: E3,
        severity: 'medium',
        title: 'Microsoft 365 E3: 3 unused seats',
        explanation: 'Explanation of Microsoft 365 E3: 3 unused seats',
        action: 'Action for Microsoft 365 E3: 3 unused seats',
        actBy: new Date('2026-12-03T00:00:00Z'),
        figures: { unassigned: 3 },
        silencedBy: null,
      });
    });

    it('filters by kind (counts still cover every kind) and by tenant name or id, taking % and _ literally', async () => {
      const ending = await queries.latestDiscrepancies(orgA, { kind: 'subscription-ending' });
      expect(ending.items.map((d) => d.tenantId)).toEqual([fabrikam]);
      expect(ending.total).toBe(1);
      expect(ending.countsByKind).toHaveLength(3);

      expect((await queries.latestDiscrepancies(orgA, { tenant: 'adatum' })).items.map((d) => d.kind)).toEqual(['unassigned-seats']);
      expect((await queries.latestDiscrepancies(orgA, { tenant: '_100%' })).items.map((d) => d.tenantId)).toEqual([contoso]);
      expect((await queries.latestDiscrepancies(orgA, { tenant: '%' })).items.map((d) => d.tenantId)).toEqual([contoso]);
      expect((await queries.latestDiscrepancies(orgA, { tenant: fabrikam.toUpperCase() })).items.map((d) => d.tenantId)).toEqual([
        fabrikam,
      ]);
      const adatumOnly = await queries.latestDiscrepancies(orgA, { tenant: 'Adatum' });
      expect(adatumOnly.countsByKind).toEqual([{ kind: 'unassigned-seats', count: 1 }]);
      expect(adatumOnly.silenced).toBe(1);
      expect((await queries.latestDiscrepancies(orgA, { tenant: 'nobody' })).total).toBe(0);
    });

    it('shows the silenced ones with the reason of the exclusion when asked, and limits items but not totals', async () => {
      const adatumAll = await queries.latestDiscrepancies(orgA, { tenantId: adatum, includeSilenced: true });
      expect(adatumAll.items.map((d) => [d.kind, d.silencedBy])).toEqual([
        ['unassigned-seats', null],
        ['not-sold-by-you', { exclusionId: exclusion.visioAtAdatum, reason: 'Bought directly on purpose' }],
      ]);
      expect(adatumAll.total).toBe(2);
      const limited = await queries.latestDiscrepancies(orgA, { limit: 1 });
      expect(limited.items).toHaveLength(1);
      expect(limited.total).toBe(3);
    });

    it("never shows another organization's discrepancies, even for a tenant both organizations have", async () => {
      const b = await queries.latestDiscrepancies(orgB, { includeSilenced: true });
      expect(b.items.map((d) => d.title)).toEqual(['B: 98 unused seats']);
      expect(b.silenced).toBe(0);
      expect(
        (await queries.latestDiscrepancies(orgA, { tenantId: adatum, includeSilenced: true })).items.map((d) => d.title),
      ).not.toContain('B: 98 unused seats');
    });
  });
});
