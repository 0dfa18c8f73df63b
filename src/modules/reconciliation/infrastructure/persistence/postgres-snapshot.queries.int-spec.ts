import { randomUUID } from 'node:crypto';
import type { LicenceSnapshotRow, SnapshotScope, SubscriptionSnapshotRow } from '../../application/reconciliation-queries';
import { PostgresSnapshotQueries } from './postgres-snapshot.queries';
import { E3, all, reconciliationReads } from '../testing/reconciliation-reads';

describe('the snapshots of reconciliation runs on PostgreSQL', () => {
  const reads = reconciliationReads();
  const { orgA, orgB, adatum, contoso, fabrikam, northwind, run, sql, insertRun, insertTenant, insertLicence } = reads;
  let queries: PostgresSnapshotQueries;

  beforeAll(async () => {
    await reads.seed();
    queries = new PostgresSnapshotQueries(reads.em);
  });

  afterAll(() => reads.close());

  describe('a tenant and its history', () => {
    it('says how the latest run that listed the tenant saw it', async () => {
      expect(await queries.tenant(orgA, contoso)).toEqual({
        tenantId: contoso,
        companyName: 'Contoso_100%',
        lastRunId: run.a1Latest,
        lastRunAt: new Date('2026-11-26T02:04:05Z'),
        read: false,
        failureReason: 'GDAP relationship expired',
        licencesUnreadable: null,
      });
      expect((await queries.tenant(orgA, northwind))?.lastRunId).toBe(run.a1Nov1);
      expect(await queries.tenant(orgA, randomUUID())).toBeNull();
      expect((await queries.tenant(orgB, adatum))?.companyName).toBe('Adatum (as B knows it)');
      expect(await queries.tenant(orgB, contoso)).toBeNull();
    });

    it('gives purchased and assigned per run, oldest first, with free products left out of the totals', async () => {
      const history = await queries.tenantHistory(orgA, adatum, 10);
      expect(history.map((p) => [p.runId, p.purchased, p.assigned])).toEqual([
        [run.a1Oct, 10, 8],
        [run.a1Nov1, 10, 11],
        [run.a1Latest, 14, 11],
      ]);
      expect(history[2].skus.map((s) => [s.productName, s.free, s.purchased])).toEqual([
        ['Microsoft 365 E3', false, 12],
        ['Microsoft Teams Exploratory', true, 1000],
        ['Visio Plan 2', false, 2],
      ]);
      expect((await queries.tenantHistory(orgA, adatum, 2)).map((p) => p.runId)).toEqual([run.a1Nov1, run.a1Latest]);
    });

    it('draws no point (never a zero) for a run that could not list the licences, and says so for the latest', async () => {
      // An organization of its own, so the shared runs above stay as they are.
      const orgC = randomUUID();
      const tenant = randomUUID();
      const [readRun, unreadableRun] = [randomUUID(), randomUUID()];
      await sql(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'C', now())`, [orgC, randomUUID()]);
      await insertRun(readRun, orgC, randomUUID(), '2026-11-20T02:00:00Z', 30, { read: 1, failed: 0, changes: 0, open: 0 });
      await insertRun(unreadableRun, orgC, randomUUID(), '2026-11-21T02:00:00Z', 30, { read: 1, failed: 0, changes: 0, open: 1 });
      await insertTenant(readRun, orgC, tenant, 'Southridge');
      await insertLicence(readRun, orgC, tenant, { id: E3, part: 'SPE_E3', name: 'Microsoft 365 E3', purchased: 10, assigned: 8 });
      await sql(
        'insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read, failure_reason, licences_unreadable) values (?, ?, ?, ?, true, null, ?)',
        [unreadableRun, orgC, tenant, 'Southridge', 'GDAP role missing.'],
      );

      expect((await queries.tenantHistory(orgC, tenant, 10)).map((p) => [p.runId, p.purchased])).toEqual([[readRun, 10]]);
      expect(await queries.tenant(orgC, tenant)).toMatchObject({
        lastRunId: unreadableRun,
        read: true,
        licencesUnreadable: 'GDAP role missing.',
      });
    });

    it("keeps a run that could not read the tenant in its history, and keeps B's figures out of A's", async () => {
      const contosoHistory = await queries.tenantHistory(orgA, contoso, 10);
      expect(contosoHistory.map((p) => p.read)).toEqual([true, true, false]);
      expect((await queries.tenantHistory(orgB, adatum, 10)).map((p) => p.purchased)).toEqual([99]);
    });
  });

  describe('CSV rows', () => {
    const licenceKeys = (rows: LicenceSnapshotRow[]) => rows.map((r) => `${r.companyName}|${r.productName}|${r.purchased}|${r.assigned}`);

    it('gives every tenant × SKU of a run in batches, by company then product, whatever the batch size', async () => {
      queries.batchSize = 2;
      try {
        const { rows, batches } = await all(queries.licenceRows(orgA, { runId: run.a1Latest }));
        // Two full batches, then an empty page that ends it.
        expect(batches).toBe(2);
        expect(licenceKeys(rows)).toEqual([
          'Adatum Corporation|Microsoft 365 E3|12|9',
          'Adatum Corporation|Microsoft Teams Exploratory|1000|3',
          'Adatum Corporation|Visio Plan 2|2|2',
          'Contoso_100%|Microsoft 365 E3|5|5',
        ]);
        expect(rows[0]).toMatchObject({
          runId: run.a1Latest,
          snapshotAt: new Date('2026-11-26T02:04:05Z'),
          tenantRead: true,
          skuPartNumber: 'SPE_E3',
          available: 3,
          partnerCenterQuantity: 12,
          soldByYou: true,
          free: false,
        });
        expect(rows[2].soldByYou).toBe(false);
        expect(rows[3].tenantRead).toBe(false);
      } finally {
        queries.batchSize = 1000;
      }
    });

    it('narrows to one tenant, and covers every account of a month-end snapshot', async () => {
      expect(licenceKeys((await all(queries.licenceRows(orgA, { runId: run.a1Latest, tenantId: contoso }))).rows)).toEqual([
        'Contoso_100%|Microsoft 365 E3|5|5',
      ]);
      const october = (await all(queries.licenceRows(orgA, { month: '2026-10' }))).rows;
      expect(licenceKeys(october)).toEqual([
        'Adatum Corporation|Microsoft 365 E3|10|8',
        'Adatum Corporation|Microsoft Teams Exploratory|1000|3',
        'Contoso_100%|Microsoft 365 E3|5|5',
        'Fabrikam, Inc.|Microsoft 365 E3|7|7',
      ]);
      expect(new Set(october.map((r) => r.runId))).toEqual(new Set([run.a1Oct, run.a2Oct]));
      expect(licenceKeys((await all(queries.licenceRows(orgA, { month: '2026-10', tenantId: fabrikam }))).rows)).toEqual([
        'Fabrikam, Inc.|Microsoft 365 E3|7|7',
      ]);
    });

    it('gives the subscriptions of a run or a month end the same way', async () => {
      const subscriptions = (scope: SnapshotScope) =>
        all(queries.subscriptionRows(orgA, scope)).then(({ rows }) =>
          rows.map((s: SubscriptionSnapshotRow) => `${s.companyName}|${s.subscriptionId}|${s.quantity}`),
        );
      expect(await subscriptions({ runId: run.a1Latest })).toEqual([
        'Adatum Corporation|sub-adatum-e3|12',
        'Contoso_100%|sub-contoso-e3|5',
      ]);
      expect(await subscriptions({ month: '2026-10' })).toEqual([
        'Adatum Corporation|sub-adatum-e3|10',
        'Fabrikam, Inc.|sub-fabrikam-e3|7',
      ]);
      const [row] = (await all(queries.subscriptionRows(orgA, { runId: run.a1Latest, tenantId: adatum }))).rows;
      expect(row).toMatchObject({
        tenantUnits: 12,
        billingCycle: 'monthly',
        termDuration: 'P1Y',
        status: 'active',
        autoRenewEnabled: true,
        isTrial: false,
        commitmentEndDate: new Date('2027-03-01T00:00:00Z'),
        cancellationAllowedUntilDate: null,
      });
    });

    it("gives nothing of another organization's run or month, and nothing for a scope that names nothing", async () => {
      expect((await all(queries.licenceRows(orgB, { runId: run.a1Latest }))).rows).toEqual([]);
      expect((await all(queries.subscriptionRows(orgB, { runId: run.a1Latest }))).rows).toEqual([]);
      expect(licenceKeys((await all(queries.licenceRows(orgB, { month: '2026-10' }))).rows)).toEqual([
        'Adatum (as B knows it)|Microsoft 365 E3|99|1',
      ]);
      expect((await all(queries.licenceRows(orgA, { runId: 'x' }))).batches).toBe(0);
      expect((await all(queries.licenceRows(orgA, { month: 'October' }))).batches).toBe(0);
      expect((await all(queries.licenceRows(orgA, { runId: run.a1Latest, tenantId: 'x' }))).batches).toBe(0);
    });
  });
});
