import { randomUUID } from 'node:crypto';
import { DISCREPANCY_KINDS } from '../../domain';
import { DISCREPANCY_KIND_RANK, DISCREPANCY_READING_ORDER, PostgresDiscrepancyQueries } from './postgres-discrepancy.queries';
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
  // A run of thousands (~3 per tenant at 10,000 tenants): the page's first rows come from the ordered index, in the
  // reading order, and the counts cover every row.
  describe('a run with thousands of discrepancies', () => {
    const orgC = randomUUID();
    const runC = randomUUID();
    const SEVERITIES = ['high', 'medium', 'low'];
    type Stored = {
      key: string;
      kind: string;
      tenant_id: string;
      company_name: string;
      severity: string;
      act_by: string | null;
      silenced_by: string | null;
    };
    let stored: Stored[];

    beforeAll(async () => {
      await reads.sql(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'C', now())`, [orgC, randomUUID()]);
      await reads.insertRun(runC, orgC, randomUUID(), '2026-11-26T02:00:00Z', 60, { read: 1500, failed: 0, changes: 0, open: 3000 });
      // Names of mixed case (the order ignores it) and few distinct act-by dates and severities: long ties.
      await reads.sql(
        `insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read)
         select ?::uuid, ?::uuid, gen_random_uuid(), (array['alpha', 'Beta', 'gamma', 'Delta'])[1 + i % 4] || lpad((i * 7919 % 1500)::text, 4, '0'), true
         from generate_series(0, 1499) i`,
        [runC, orgC],
      );
      await reads.sql(
        `insert into discrepancies (run_id, organization_id, key, kind, tenant_id, severity, title, explanation, action, act_by, figures, silenced_by, company_name)
         select t.run_id, t.organization_id, k.kind || '|' || t.tenant_id || '|' || k.n, k.kind, t.tenant_id,
           (array['high', 'medium', 'low'])[1 + (k.n + length(t.company_name)) % 3], 'Title', 'Why', 'Do',
           case when k.n = 0 then null else timestamptz '2026-12-01' + make_interval(days => (k.n * 3 + ascii(t.company_name)) % 4) end,
           '{}'::jsonb, case when k.n = 1 and right(t.company_name, 1) = '7' then ?::uuid end, t.company_name
         from reconciliation_tenants t
         cross join lateral (select n, (?::text[])[1 + (n * 5 + ascii(right(t.company_name, 1))) % ?] as kind from generate_series(0, 1) n) k
         where t.run_id = ?`,
        [randomUUID(), `{${DISCREPANCY_KINDS.join(',')}}`, DISCREPANCY_KINDS.length, runC],
      );
      await reads.sql('analyze discrepancies');
      stored = await reads.sql<Stored>(
        'select key, kind, tenant_id, company_name, severity, act_by, silenced_by from discrepancies where run_id = ?',
        [runC],
      );
    });

    const rank = (d: Stored) => [
      DISCREPANCY_KINDS.indexOf(d.kind as (typeof DISCREPANCY_KINDS)[number]),
      SEVERITIES.indexOf(d.severity),
      d.act_by === null ? Infinity : new Date(d.act_by).getTime(),
    ];
    const inReadingOrder = (a: Stored, b: Stored) => {
      const [x, y] = [rank(a), rank(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
      const name = a.company_name.toLowerCase().localeCompare(b.company_name.toLowerCase());
      if (name !== 0) return name;
      return a.tenant_id < b.tenant_id ? -1 : a.tenant_id > b.tenant_id ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    };

    it('shows the first open ones in the reading order (kind, severity, act-by, name) and counts all of them per kind', async () => {
      expect(stored).toHaveLength(3000);
      const open = stored.filter((d) => d.silenced_by === null).sort(inReadingOrder);
      const found = await queries.latestDiscrepancies(orgC, { limit: 150 });
      expect(found.items.map((d) => d.key)).toEqual(open.slice(0, 150).map((d) => d.key));
      expect(found.items[0].companyName).toBe(open[0].company_name);
      expect(found.total).toBe(open.length);
      expect(found.silenced).toBe(3000 - open.length);
      expect(found.silenced).toBeGreaterThan(0);
      expect(found.countsByKind).toEqual(
        DISCREPANCY_KINDS.flatMap((kind) => {
          const count = open.filter((d) => d.kind === kind).length;
          return count > 0 ? [{ kind, count }] : [];
        }),
      );
      const kind = open[open.length - 1].kind as (typeof DISCREPANCY_KINDS)[number];
      const ofKind = await queries.latestDiscrepancies(orgC, { kind, limit: 40 });
      expect(ofKind.items.map((d) => d.key)).toEqual(
        open
          .filter((d) => d.kind === kind)
          .slice(0, 40)
          .map((d) => d.key),
      );
    });

    it("reads a run's first open ones from the ordered index, without sorting the run", async () => {
      const plan = (
        await reads.sql<{ 'QUERY PLAN': string }>(
          `explain select * from discrepancies d where d.run_id = ? and d.organization_id = ? and d.silenced_by is null
           order by ${DISCREPANCY_READING_ORDER} limit 200`,
          [runC, orgC],
        )
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      // A kind's first ones: the index starts at that kind.
      const ofKind = (
        await reads.sql<{ 'QUERY PLAN': string }>(
          `explain select * from discrepancies d where d.run_id = ? and d.organization_id = ? and d.silenced_by is null
           and d.kind = 'subscription-ending' and ${DISCREPANCY_KIND_RANK} = ? order by ${DISCREPANCY_READING_ORDER} limit 200`,
          [runC, orgC, DISCREPANCY_KINDS.indexOf('subscription-ending')],
        )
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      expect(ofKind).toMatch(/Index Cond: \(\(run_id = .*CASE kind/);
      expect(plan).toMatch(/Index Scan using discrepancies_open_order on discrepancies/);
      // At most an incremental sort of rows the index leaves tied (the same name), never a sort of the whole run.
      expect(plan).not.toMatch(/(^|->)\s*Sort\s+\(cost/m);
    });
  });
});
