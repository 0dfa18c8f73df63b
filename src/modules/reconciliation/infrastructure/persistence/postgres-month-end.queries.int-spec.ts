import { PostgresMonthEndQueries } from './postgres-month-end.queries';
import { reconciliationReads } from '../testing/reconciliation-reads';

describe('the month-end snapshots on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adminA1, adminA2, run } = reads;
  let queries: PostgresMonthEndQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresMonthEndQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('month ends', () => {
    it('lists each month with the run of every account it kept', async () => {
      const months = await queries.monthEnds(orgA);
      expect(months).toEqual([
        {
          month: '2026-10',
          frozenAt: new Date('2026-11-25T02:01:01Z'),
          runs: [
            { runId: run.a2Oct, delegatedAdminId: adminA2, finishedAt: new Date('2026-10-30T02:01:00Z') },
            { runId: run.a1Oct, delegatedAdminId: adminA1, finishedAt: new Date('2026-10-31T02:05:00Z') },
          ],
        },
      ]);
      expect(await queries.monthEnd(orgA, '2026-10')).toEqual(months[0]);
      expect(await queries.monthEnd(orgA, '2026-09')).toBeNull();
      expect(await queries.monthEnd(orgA, '2026-13')).toBeNull();
      expect((await queries.monthEnd(orgB, '2026-10'))?.runs.map((r) => r.runId)).toEqual([run.b]);
    });
  });
});
