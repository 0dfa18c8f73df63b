import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import type { LicenceSnapshotRow, SnapshotScope, SubscriptionSnapshotRow } from '../../application/reconciliation-queries';
import { PostgresExclusionsRepository } from './postgres-exclusions.repository';
import { PostgresReconciliationQueries } from './postgres-reconciliation.queries';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
const EXPLORATORY = '710779e8-3d4a-4c88-adb9-386c958d1fdf';

describe('the licensing reconciliation read side on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let queries: PostgresReconciliationQueries;
  let exclusions: PostgresExclusionsRepository;
  const orgA = randomUUID();
  const orgB = randomUUID();
  const adminA1 = randomUUID();
  const adminA2 = randomUUID();
  const adminB = randomUUID();
  // Tenants: Adatum and "Contoso_100%" (through A1), Fabrikam (through A2), Northwind (removed in A1's latest run).
  const adatum = randomUUID();
  const contoso = randomUUID();
  const fabrikam = randomUUID();
  const northwind = randomUUID();
  const run = { a1Oct: randomUUID(), a1Nov1: randomUUID(), a1Latest: randomUUID(), a2Oct: randomUUID(), a2Latest: randomUUID(), b: randomUUID() };
  const exclusion = { visioAtAdatum: randomUUID(), exploratory: randomUUID(), bOwn: randomUUID() };

  const sql = <T extends object = Record<string, unknown>>(statement: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(statement, params);

  async function insertRun(id: string, organizationId: string, delegatedAdminId: string, startedAt: string, seconds: number, counts: { read: number; failed: number; changes: number; open: number }, trigger = 'schedule') {
    const finishedAt = new Date(new Date(startedAt).getTime() + seconds * 1000).toISOString();
    await sql(
      `insert into reconciliation_runs (id, organization_id, delegated_admin_id, import_run_id, trigger, started_at, finished_at, tenants_read, tenants_failed, changes, open_discrepancies)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, organizationId, delegatedAdminId, randomUUID(), trigger, startedAt, finishedAt, counts.read, counts.failed, counts.changes, counts.open],
    );
  }

  async function insertTenant(runId: string, organizationId: string, tenantId: string, companyName: string, failureReason: string | null = null) {
    await sql('insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read, failure_reason) values (?, ?, ?, ?, ?, ?)', [
      runId,
      organizationId,
      tenantId,
      companyName,
      failureReason === null,
      failureReason,
    ]);
  }

  async function insertLicence(runId: string, organizationId: string, tenantId: string, sku: { id: string; part: string; name: string; purchased: number; assigned: number; free?: boolean; soldByYou?: boolean | null; quantity?: number | null }) {
    await sql(
      `insert into licence_snapshots (run_id, organization_id, tenant_id, sku_id, sku_part_number, product_name, purchased, assigned, available, suspended, warning, partner_center_quantity, sold_by_you, free)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
      [runId, organizationId, tenantId, sku.id, sku.part, sku.name, sku.purchased, sku.assigned, sku.purchased - sku.assigned, sku.quantity ?? null, sku.soldByYou ?? null, sku.free ?? false],
    );
  }

  async function insertSubscription(runId: string, organizationId: string, tenantId: string, subscriptionId: string, offerName: string, quantity: number) {
    await sql(
      `insert into subscription_snapshots (run_id, organization_id, tenant_id, subscription_id, sku_id, offer_name, quantity, tenant_units, billing_cycle, term_duration, status, auto_renew_enabled,
         is_trial, commitment_end_date, cancellation_allowed_until_date)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'monthly', 'P1Y', 'active', true, false, '2027-03-01T00:00:00Z', null)`,
      [runId, organizationId, tenantId, subscriptionId, E3, offerName, quantity, quantity],
    );
  }

  async function insertChange(runId: string, organizationId: string, tenantId: string, kind: string, summary: string, occurredAt: string, extra: { skuId?: string; before?: string; after?: string; delta?: number } = {}) {
    await sql(
      `insert into licensing_changes (id, run_id, organization_id, tenant_id, kind, sku_id, subscription_id, before, after, delta, summary, occurred_at) values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?)`,
      [randomUUID(), runId, organizationId, tenantId, kind, extra.skuId ?? null, extra.before ?? null, extra.after ?? null, extra.delta ?? null, summary, occurredAt],
    );
  }

  async function insertDiscrepancy(runId: string, organizationId: string, tenantId: string, kind: string, title: string, extra: { severity?: string; skuId?: string; actBy?: string; silencedBy?: string; figures?: Record<string, number> } = {}) {
    await sql(
      `insert into discrepancies (run_id, organization_id, key, kind, tenant_id, sku_id, subscription_id, severity, title, explanation, action, act_by, figures, silenced_by)
       values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?::jsonb, ?)`,
      [
        runId,
        organizationId,
        `${kind}|${tenantId}|${extra.skuId ?? ''}|`,
        kind,
        tenantId,
        extra.skuId ?? null,
        extra.severity ?? 'medium',
        title,
        `Explanation of ${title}`,
        `Action for ${title}`,
        extra.actBy ?? null,
        JSON.stringify(extra.figures ?? {}),
        extra.silencedBy ?? null,
      ],
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { allowGlobalContext: true }));
    queries = new PostgresReconciliationQueries(orm.em);
    exclusions = new PostgresExclusionsRepository(orm.em);
    await sql(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'A', now()), (?, ?, 'B', now())`, [orgA, randomUUID(), orgB, randomUUID()]);

    // Organization A, account 1: October's last run, 1 November, and the latest (26 November).
    await insertRun(run.a1Oct, orgA, adminA1, '2026-10-31T02:00:00Z', 300, { read: 3, failed: 0, changes: 0, open: 0 });
    await insertRun(run.a1Nov1, orgA, adminA1, '2026-11-01T02:00:00Z', 180, { read: 3, failed: 0, changes: 1, open: 1 });
    await insertRun(run.a1Latest, orgA, adminA1, '2026-11-26T02:00:00Z', 245, { read: 1, failed: 1, changes: 2, open: 2 }, 'manual');
    for (const r of [run.a1Oct, run.a1Nov1]) {
      await insertTenant(r, orgA, adatum, 'Adatum Corporation');
      await insertTenant(r, orgA, contoso, 'Contoso_100%');
      await insertTenant(r, orgA, northwind, 'Northwind Traders');
    }
    await insertTenant(run.a1Latest, orgA, adatum, 'Adatum Corporation');
    await insertTenant(run.a1Latest, orgA, contoso, 'Contoso_100%', 'GDAP relationship expired');
    const adatumSkus = [
      [run.a1Oct, 10, 8],
      [run.a1Nov1, 10, 11],
      [run.a1Latest, 12, 9],
    ] as const;
    for (const [r, purchased, assigned] of adatumSkus) {
      await insertLicence(r, orgA, adatum, { id: E3, part: 'SPE_E3', name: 'Microsoft 365 E3', purchased, assigned, soldByYou: true, quantity: purchased });
      await insertLicence(r, orgA, adatum, { id: EXPLORATORY, part: 'TEAMS_EXPLORATORY', name: 'Microsoft Teams Exploratory', purchased: 1000, assigned: 3, free: true });
      await insertLicence(r, orgA, contoso, { id: E3, part: 'SPE_E3', name: 'Microsoft 365 E3', purchased: 5, assigned: 5, soldByYou: true, quantity: 5 });
    }
    await insertLicence(run.a1Latest, orgA, adatum, { id: VISIO, part: 'VISIOCLIENT', name: 'Visio Plan 2', purchased: 2, assigned: 2, soldByYou: false });
    await insertSubscription(run.a1Latest, orgA, adatum, 'sub-adatum-e3', 'Microsoft 365 E3', 12);
    await insertSubscription(run.a1Latest, orgA, contoso, 'sub-contoso-e3', 'Microsoft 365 E3', 5);
    await insertSubscription(run.a1Oct, orgA, adatum, 'sub-adatum-e3', 'Microsoft 365 E3', 10);
    await insertChange(run.a1Nov1, orgA, adatum, 'sku.assigned-changed', 'Adatum Corporation: Microsoft 365 E3 assigned seats 8 → 11 (+3)', '2026-11-01T02:03:00Z', { skuId: E3, before: '8', after: '11', delta: 3 });
    await insertChange(run.a1Latest, orgA, adatum, 'sku.purchased-changed', 'Adatum Corporation: Microsoft 365 E3 purchased seats 10 → 12 (+2)', '2026-11-26T02:04:05Z', { skuId: E3, before: '10', after: '12', delta: 2 });
    await insertChange(run.a1Latest, orgA, northwind, 'tenant.removed', 'Northwind Traders: no longer among your customers', '2026-11-26T02:04:05Z', { before: 'Northwind Traders' });
    // The previous run's problem is history: only the latest run's discrepancies are "now".
    await insertDiscrepancy(run.a1Nov1, orgA, adatum, 'over-assigned', 'Microsoft 365 E3: 1 user without a paid seat', { severity: 'high', skuId: E3 });
    await insertDiscrepancy(run.a1Latest, orgA, adatum, 'unassigned-seats', 'Microsoft 365 E3: 3 unused seats', { skuId: E3, actBy: '2026-12-03T00:00:00Z', figures: { unassigned: 3 } });
    await insertDiscrepancy(run.a1Latest, orgA, contoso, 'tenant-unreadable', 'Could not read Contoso_100%', { severity: 'high' });
    await insertDiscrepancy(run.a1Latest, orgA, adatum, 'not-sold-by-you', 'Visio Plan 2 is not bought through you', { severity: 'low', skuId: VISIO, silencedBy: exclusion.visioAtAdatum });

    // Organization A, account 2.
    await insertRun(run.a2Oct, orgA, adminA2, '2026-10-30T02:00:00Z', 60, { read: 1, failed: 0, changes: 0, open: 0 });
    await insertRun(run.a2Latest, orgA, adminA2, '2026-11-25T02:00:00Z', 61, { read: 1, failed: 0, changes: 0, open: 1 });
    for (const r of [run.a2Oct, run.a2Latest]) {
      await insertTenant(r, orgA, fabrikam, 'Fabrikam, Inc.');
      await insertLicence(r, orgA, fabrikam, { id: E3, part: 'SPE_E3', name: 'Microsoft 365 E3', purchased: 7, assigned: 7, soldByYou: true });
    }
    await insertSubscription(run.a2Oct, orgA, fabrikam, 'sub-fabrikam-e3', 'Microsoft 365 E3', 7);
    await insertDiscrepancy(run.a2Latest, orgA, fabrikam, 'subscription-ending', 'Microsoft 365 E3 ends on 1 December 2026', { severity: 'high', actBy: '2026-12-01T00:00:00Z' });
    await sql(`insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) values (?, ?, '2026-10', ?, '2026-11-01T02:03:00Z'), (?, ?, '2026-10', ?, '2026-11-25T02:01:01Z')`, [
      orgA,
      adminA1,
      run.a1Oct,
      orgA,
      adminA2,
      run.a2Oct,
    ]);
    await sql(
      `insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name) values
       (?, ?, ?, ?, 'ignore', null, 'Bought directly on purpose', '2026-11-20T10:00:00Z', 'Contoso Admin'),
       (?, ?, null, ?, 'ignore', null, 'Free product', '2026-11-21T10:00:00Z', 'Contoso Admin')`,
      [exclusion.visioAtAdatum, orgA, adatum, VISIO, exclusion.exploratory, orgA, EXPLORATORY],
    );

    // Organization B holds the same tenant (a customer of two partners), with its own everything.
    await insertRun(run.b, orgB, adminB, '2026-11-27T02:00:00Z', 30, { read: 1, failed: 0, changes: 1, open: 1 });
    await insertTenant(run.b, orgB, adatum, 'Adatum (as B knows it)');
    await insertLicence(run.b, orgB, adatum, { id: E3, part: 'SPE_E3', name: 'Microsoft 365 E3', purchased: 99, assigned: 1 });
    await insertSubscription(run.b, orgB, adatum, 'sub-b', 'Microsoft 365 E3', 99);
    await insertChange(run.b, orgB, adatum, 'sku.added', 'Adatum (as B knows it): Microsoft 365 E3 added', '2026-11-27T02:00:30Z', { skuId: E3 });
    await insertDiscrepancy(run.b, orgB, adatum, 'unassigned-seats', 'B: 98 unused seats', { skuId: E3 });
    await sql(`insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) values (?, ?, '2026-10', ?, now())`, [orgB, adminB, run.b]);
    await sql(`insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name) values (?, ?, ?, null, 'keep-spare', 2, 'B reason', now(), 'B Admin')`, [
      exclusion.bOwn,
      orgB,
      adatum,
    ]);
    await sql(`insert into reconciliation_schedules (organization_id, time_zone, run_at) values (?, 'Asia/Tokyo', '05:00')`, [orgB]);
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function all<T>(batches: AsyncIterable<T[]>): Promise<{ rows: T[]; batches: number }> {
    const rows: T[] = [];
    let count = 0;
    for await (const batch of batches) {
      rows.push(...batch);
      count++;
    }
    return { rows, batches: count };
  }

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
      expect((await queries.latestDiscrepancies(orgA, { tenant: fabrikam.toUpperCase() })).items.map((d) => d.tenantId)).toEqual([fabrikam]);
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
      expect((await queries.latestDiscrepancies(orgA, { tenantId: adatum, includeSilenced: true })).items.map((d) => d.title)).not.toContain('B: 98 unused seats');
    });
  });

  describe('changes', () => {
    it("lists the organization's changes newest first, naming a removed tenant by its last known name", async () => {
      const changes = await queries.recentChanges(orgA, 10);
      expect(changes.map((c) => [c.companyName, c.kind])).toEqual([
        ['Adatum Corporation', 'sku.purchased-changed'],
        ['Northwind Traders', 'tenant.removed'],
        ['Adatum Corporation', 'sku.assigned-changed'],
      ]);
      expect(changes[0]).toMatchObject({ runId: run.a1Latest, skuId: E3, before: '10', after: '12', delta: 2, occurredAt: new Date('2026-11-26T02:04:05Z') });
      expect((await queries.recentChanges(orgA, 1)).map((c) => c.kind)).toEqual(['sku.purchased-changed']);
    });

    it("lists one tenant's changes, and only its own organization's", async () => {
      expect((await queries.tenantChanges(orgA, adatum, 10)).map((c) => c.kind)).toEqual(['sku.purchased-changed', 'sku.assigned-changed']);
      expect((await queries.tenantChanges(orgB, adatum, 10)).map((c) => c.summary)).toEqual(['Adatum (as B knows it): Microsoft 365 E3 added']);
      expect(await queries.tenantChanges(orgA, 'not-a-tenant', 10)).toEqual([]);
    });
  });

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
      await sql('insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read, failure_reason, licences_unreadable) values (?, ?, ?, ?, true, null, ?)', [
        unreadableRun,
        orgC,
        tenant,
        'Southridge',
        'GDAP role missing.',
      ]);

      expect((await queries.tenantHistory(orgC, tenant, 10)).map((p) => [p.runId, p.purchased])).toEqual([[readRun, 10]]);
      expect(await queries.tenant(orgC, tenant)).toMatchObject({ lastRunId: unreadableRun, read: true, licencesUnreadable: 'GDAP role missing.' });
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
        expect(rows[0]).toMatchObject({ runId: run.a1Latest, snapshotAt: new Date('2026-11-26T02:04:05Z'), tenantRead: true, skuPartNumber: 'SPE_E3', available: 3, partnerCenterQuantity: 12, soldByYou: true, free: false });
        expect(rows[2].soldByYou).toBe(false);
        expect(rows[3].tenantRead).toBe(false);
      } finally {
        queries.batchSize = 1000;
      }
    });

    it('narrows to one tenant, and covers every account of a month-end snapshot', async () => {
      expect(licenceKeys((await all(queries.licenceRows(orgA, { runId: run.a1Latest, tenantId: contoso }))).rows)).toEqual(['Contoso_100%|Microsoft 365 E3|5|5']);
      const october = (await all(queries.licenceRows(orgA, { month: '2026-10' }))).rows;
      expect(licenceKeys(october)).toEqual([
        'Adatum Corporation|Microsoft 365 E3|10|8',
        'Adatum Corporation|Microsoft Teams Exploratory|1000|3',
        'Contoso_100%|Microsoft 365 E3|5|5',
        'Fabrikam, Inc.|Microsoft 365 E3|7|7',
      ]);
      expect(new Set(october.map((r) => r.runId))).toEqual(new Set([run.a1Oct, run.a2Oct]));
      expect(licenceKeys((await all(queries.licenceRows(orgA, { month: '2026-10', tenantId: fabrikam }))).rows)).toEqual(['Fabrikam, Inc.|Microsoft 365 E3|7|7']);
    });

    it('gives the subscriptions of a run or a month end the same way', async () => {
      const subscriptions = (scope: SnapshotScope) => all(queries.subscriptionRows(orgA, scope)).then(({ rows }) => rows.map((s: SubscriptionSnapshotRow) => `${s.companyName}|${s.subscriptionId}|${s.quantity}`));
      expect(await subscriptions({ runId: run.a1Latest })).toEqual(['Adatum Corporation|sub-adatum-e3|12', 'Contoso_100%|sub-contoso-e3|5']);
      expect(await subscriptions({ month: '2026-10' })).toEqual(['Adatum Corporation|sub-adatum-e3|10', 'Fabrikam, Inc.|sub-fabrikam-e3|7']);
      const [row] = (await all(queries.subscriptionRows(orgA, { runId: run.a1Latest, tenantId: adatum }))).rows;
      expect(row).toMatchObject({ tenantUnits: 12, billingCycle: 'monthly', termDuration: 'P1Y', status: 'active', autoRenewEnabled: true, isTrial: false, commitmentEndDate: new Date('2027-03-01T00:00:00Z'), cancellationAllowedUntilDate: null });
    });

    it("gives nothing of another organization's run or month, and nothing for a scope that names nothing", async () => {
      expect((await all(queries.licenceRows(orgB, { runId: run.a1Latest }))).rows).toEqual([]);
      expect((await all(queries.subscriptionRows(orgB, { runId: run.a1Latest }))).rows).toEqual([]);
      expect(licenceKeys((await all(queries.licenceRows(orgB, { month: '2026-10' }))).rows)).toEqual(['Adatum (as B knows it)|Microsoft 365 E3|99|1']);
      expect((await all(queries.licenceRows(orgA, { runId: 'x' }))).batches).toBe(0);
      expect((await all(queries.licenceRows(orgA, { month: 'October' }))).batches).toBe(0);
      expect((await all(queries.licenceRows(orgA, { runId: run.a1Latest, tenantId: 'x' }))).batches).toBe(0);
    });
  });

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

  describe('exclusions, names and the schedule', () => {
    it('lists exclusions newest first with the names they refer to and what they silence now', async () => {
      const list = await queries.exclusions(orgA);
      expect(list.map((e) => [e.id, e.companyName, e.productName, e.rule, e.reason, e.silencing])).toEqual([
        [exclusion.exploratory, null, 'Microsoft Teams Exploratory', 'ignore', 'Free product', 0],
        [exclusion.visioAtAdatum, 'Adatum Corporation', 'Visio Plan 2', 'ignore', 'Bought directly on purpose', 1],
      ]);
      expect(list[0]).toMatchObject({ tenantId: null, skuId: EXPLORATORY, spare: null, createdAt: new Date('2026-11-21T10:00:00Z'), createdByName: 'Contoso Admin' });
      expect((await queries.exclusions(orgB)).map((e) => [e.id, e.companyName, e.rule, e.spare])).toEqual([[exclusion.bOwn, 'Adatum (as B knows it)', 'keep-spare', 2]]);
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
      expect(await queries.product(orgA, VISIO.toUpperCase())).toEqual({ skuId: VISIO, skuPartNumber: 'VISIOCLIENT', productName: 'Visio Plan 2', free: false });
      expect(await queries.product(orgB, VISIO)).toBeNull();
    });

    it('gives 02:00 UTC until the organization sets its own schedule', async () => {
      expect(await queries.schedule(orgA)).toEqual({ timeZone: 'UTC', runAt: '02:00' });
      expect(await queries.schedule(orgB)).toEqual({ timeZone: 'Asia/Tokyo', runAt: '05:00' });
    });
  });

  describe('the exclusions repository', () => {
    it('adds, finds, lists and removes exclusions within one organization', async () => {
      const id = randomUUID();
      await exclusions.add(orgA, { id, tenantId: fabrikam, skuId: null, rule: 'keep-spare', spare: 3, reason: 'New starters', createdAt: new Date('2026-11-26T09:00:00Z'), createdByName: 'Contoso Admin' });
      expect(await exclusions.find(orgA, id)).toEqual({ id, tenantId: fabrikam, skuId: null, rule: 'keep-spare', spare: 3, reason: 'New starters', createdAt: new Date('2026-11-26T09:00:00Z'), createdByName: 'Contoso Admin' });
      expect((await exclusions.list(orgA)).map((e) => e.id)).toEqual([exclusion.visioAtAdatum, exclusion.exploratory, id]);
      expect(await exclusions.list(orgB)).toEqual([{ id: exclusion.bOwn, tenantId: adatum, skuId: null, rule: 'keep-spare', spare: 2, reason: 'B reason' }]);

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
      expect(await queries.schedule(orgB)).toEqual({ timeZone: 'Europe/Amsterdam', runAt: '06:30' });
      expect(await queries.schedule(orgA)).toEqual({ timeZone: 'America/New_York', runAt: '23:15' });
      const rows = await sql<{ organization_id: string; last_scheduled_on: string | null }>('select organization_id, last_scheduled_on from reconciliation_schedules');
      expect(Object.fromEntries(rows.map((r) => [r.organization_id, r.last_scheduled_on]))).toEqual({ [orgA]: null, [orgB]: '2026-11-27' });
    });
  });
});
