import { randomUUID } from 'node:crypto';
import { PostgresExclusionsRepository } from './postgres-exclusions.repository';
import { PostgresRunQueries } from './postgres-run.queries';
import { reconciliationReads } from '../testing/reconciliation-reads';

describe('the licensing exclusions and the schedule, stored on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adatum, fabrikam, exclusion, sql } = reads;
  let exclusions: PostgresExclusionsRepository;
  let runs: PostgresRunQueries;

  beforeAll(async () => {
    await reads.seed();
    exclusions = new PostgresExclusionsRepository(reads.em);
    runs = new PostgresRunQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('the exclusions repository', () => {
    it('adds, finds, lists and removes exclusions within one organization', async () => {
      const id = randomUUID();
      await exclusions.add(orgA, {
        id,
        tenantId: fabrikam,
        skuId: null,
        rule: 'keep-spare',
        spare: 3,
        reason: 'New starters',
        createdAt: new Date('2026-11-26T09:00:00Z'),
        createdByName: 'Contoso Admin',
      });
      expect(await exclusions.find(orgA, id)).toEqual({
        id,
        tenantId: fabrikam,
        skuId: null,
        rule: 'keep-spare',
        spare: 3,
        reason: 'New starters',
        createdAt: new Date('2026-11-26T09:00:00Z'),
        createdByName: 'Contoso Admin',
      });
      expect((await exclusions.list(orgA)).map((e) => e.id)).toEqual([exclusion.visioAtAdatum, exclusion.exploratory, id]);
      expect(await exclusions.list(orgB)).toEqual([
        { id: exclusion.bOwn, tenantId: adatum, skuId: null, rule: 'keep-spare', spare: 2, reason: 'B reason' },
      ]);

      expect(await exclusions.find(orgB, id)).toBeNull();
      expect(await exclusions.remove(orgB, id)).toBe(false);
      expect(await exclusions.find(orgA, id)).not.toBeNull();
      expect(await exclusions.remove(orgA, id)).toBe(true);
      expect(await exclusions.remove(orgA, id)).toBe(false);
      expect(await exclusions.find(orgA, id)).toBeNull();
    });

    it('sets the schedule of one organization and leaves the day the scheduler last ran it alone', async () => {
      await sql('update reconciliation_schedules set last_scheduled_on = ? where organization_id = ?', ['2026-11-27', orgB]);
      await exclusions.saveSchedule(orgB, { timeZone: 'Europe/Amsterdam', runAt: '06:30' });
      await exclusions.saveSchedule(orgA, { timeZone: 'America/New_York', runAt: '23:15' });
      expect(await runs.schedule(orgB)).toEqual({ timeZone: 'Europe/Amsterdam', runAt: '06:30' });
      expect(await runs.schedule(orgA)).toEqual({ timeZone: 'America/New_York', runAt: '23:15' });
      const rows = await sql<{ organization_id: string; last_scheduled_on: string | null }>(
        'select organization_id, last_scheduled_on from reconciliation_schedules',
      );
      expect(Object.fromEntries(rows.map((r) => [r.organization_id, r.last_scheduled_on]))).toEqual({ [orgA]: null, [orgB]: '2026-11-27' });
    });
  });
});
