import { PostgresRunQueries } from './postgres-run.queries';
import { reconciliationReads } from '../testing/reconciliation-reads';

describe('the reconciliation runs on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adminA1, run } = reads;
  let queries: PostgresRunQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresRunQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('runs', () => {
    it('gives the latest run of each delegated admin, newest first, with how long it took and what it found', async () => {
      const latest = await queries.latestRuns(orgA);
      expect(latest.map((r) => r.id)).toEqual([run.a1Latest, run.a2Latest]);
      expect(latest[0]).toMatchObject({
        delegatedAdminId: adminA1,
        trigger: 'manual',
        startedAt: new Date('2026-11-26T02:00:00Z'),
        finishedAt: new Date('2026-11-26T02:04:05Z'),
        durationMs: 245_000,
        tenantsRead: 1,
        tenantsFailed: 1,
        changes: 2,
        openDiscrepancies: 2,
        silencedDiscrepancies: 1,
        error: null,
      });
    });

    it('lists runs newest first, up to the limit, and finds one run by id', async () => {
      expect((await queries.runs(orgA, 3)).map((r) => r.id)).toEqual([run.a1Latest, run.a2Latest, run.a1Nov1]);
      expect((await queries.run(orgA, run.a1Oct))?.durationMs).toBe(300_000);
      expect(await queries.run(orgA, 'not-a-run')).toBeNull();
    });

    it("never shows organization A's runs to organization B, nor B's to A", async () => {
      expect((await queries.latestRuns(orgB)).map((r) => r.id)).toEqual([run.b]);
      expect((await queries.runs(orgB, 50)).map((r) => r.id)).toEqual([run.b]);
      expect(await queries.run(orgB, run.a1Latest)).toBeNull();
      expect(await queries.run(orgA, run.b)).toBeNull();
    });
  });

  describe('the schedule', () => {
    it('gives 02:00 UTC until the organization sets its own schedule', async () => {
      expect(await queries.schedule(orgA)).toEqual({ timeZone: 'UTC', runAt: '02:00' });
      expect(await queries.schedule(orgB)).toEqual({ timeZone: 'Asia/Tokyo', runAt: '05:00' });
    });
  });
});
