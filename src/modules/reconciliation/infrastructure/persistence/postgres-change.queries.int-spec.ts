import { PostgresChangeQueries } from './postgres-change.queries';
import { E3, reconciliationReads } from '../testing/reconciliation-reads';

describe('the licensing changes of reconciliation runs on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adatum, run } = reads;
  let queries: PostgresChangeQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresChangeQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('changes', () => {
    it("lists the organization's changes newest first, naming a removed tenant by its last known name", async () => {
      const changes = await queries.recentChanges(orgA, 10);
      expect(changes.map((c) => [c.companyName, c.kind])).toEqual([
        ['Adatum Corporation', 'sku.purchased-changed'],
        ['Northwind Traders', 'tenant.removed'],
        ['Adatum Corporation', 'sku.assigned-changed'],
      ]);
      expect(changes[0]).toMatchObject({
        runId: run.a1Latest,
        skuId: E3,
        before: '10',
        after: '12',
        delta: 2,
        occurredAt: new Date('2026-11-26T02:04:05Z'),
      });
      expect((await queries.recentChanges(orgA, 1)).map((c) => c.kind)).toEqual(['sku.purchased-changed']);
    });

    it("lists one tenant's changes, and only its own organization's", async () => {
      expect((await queries.tenantChanges(orgA, adatum, 10)).map((c) => c.kind)).toEqual(['sku.purchased-changed', 'sku.assigned-changed']);
      expect((await queries.tenantChanges(orgB, adatum, 10)).map((c) => c.summary)).toEqual([
        'Adatum (as B knows it): Microsoft 365 E3 added',
      ]);
      expect(await queries.tenantChanges(orgA, 'not-a-tenant', 10)).toEqual([]);
    });
  });
});
