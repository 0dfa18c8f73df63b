import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';

export const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
export const EXPLORATORY = '710779e8-3d4a-4c88-adb9-386c958d1fdf';

// The reconciliation's read side seeded for its int-specs (one per read model): two organizations, their runs,
// tenants, snapshots, changes, discrepancies, month ends, exclusions and a schedule, in a database of their own.
// Ids are known before seed() runs, so a spec can name them in its tests.
export function reconciliationReads() {
  let db: TestDatabase;
  let orm: MikroORM;
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
  const run = {
    a1Oct: randomUUID(),
    a1Nov1: randomUUID(),
    a1Latest: randomUUID(),
    a2Oct: randomUUID(),
    a2Latest: randomUUID(),
    b: randomUUID(),
  };
  const exclusion = { visioAtAdatum: randomUUID(), exploratory: randomUUID(), bOwn: randomUUID() };

  const sql = <T extends object = Record<string, unknown>>(statement: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<T[]>(statement, params);

  async function insertRun(
    id: string,
    organizationId: string,
    delegatedAdminId: string,
    startedAt: string,
    seconds: number,
    counts: { read: number; failed: number; changes: number; open: number },
    trigger = 'schedule',
  ) {
    const finishedAt = new Date(new Date(startedAt).getTime() + seconds * 1000).toISOString();
    await sql(
      `insert into reconciliation_runs (id, organization_id, delegated_admin_id, import_run_id, trigger, started_at, finished_at, tenants_read, tenants_failed, changes, open_discrepancies)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        organizationId,
        delegatedAdminId,
        randomUUID(),
        trigger,
        startedAt,
        finishedAt,
        counts.read,
        counts.failed,
        counts.changes,
        counts.open,
      ],
    );
  }

  async function insertTenant(
    runId: string,
    organizationId: string,
    tenantId: string,
    companyName: string,
    failureReason: string | null = null,
  ) {
    await sql(
      'insert into reconciliation_tenants (run_id, organization_id, tenant_id, company_name, read, failure_reason) values (?, ?, ?, ?, ?, ?)',
      [runId, organizationId, tenantId, companyName, failureReason === null, failureReason],
    );
  }

  async function insertLicence(
    runId: string,
    organizationId: string,
    tenantId: string,
    sku: {
      id: string;
      part: string;
      name: string;
      purchased: number;
      assigned: number;
      free?: boolean;
      soldByYou?: boolean | null;
      quantity?: number | null;
    },
  ) {
    await sql(
      `insert into licence_snapshots (run_id, organization_id, tenant_id, sku_id, sku_part_number, product_name, purchased, assigned, available, suspended, warning, partner_center_quantity, sold_by_you, free)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
      [
        runId,
        organizationId,
        tenantId,
        sku.id,
        sku.part,
        sku.name,
        sku.purchased,
        sku.assigned,
        sku.purchased - sku.assigned,
        sku.quantity ?? null,
        sku.soldByYou ?? null,
        sku.free ?? false,
      ],
    );
  }

  async function insertSubscription(
    runId: string,
    organizationId: string,
    tenantId: string,
    subscriptionId: string,
    offerName: string,
    quantity: number,
  ) {
    await sql(
      `insert into subscription_snapshots (run_id, organization_id, tenant_id, subscription_id, sku_id, offer_name, quantity, tenant_units, billing_cycle, term_duration, status, auto_renew_enabled,
         is_trial, commitment_end_date, cancellation_allowed_until_date)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'monthly', 'P1Y', 'active', true, false, '2027-03-01T00:00:00Z', null)`,
      [runId, organizationId, tenantId, subscriptionId, E3, offerName, quantity, quantity],
    );
  }

  async function insertChange(
    runId: string,
    organizationId: string,
    tenantId: string,
    kind: string,
    summary: string,
    occurredAt: string,
    extra: { skuId?: string; before?: string; after?: string; delta?: number } = {},
  ) {
    await sql(
      `insert into licensing_changes (id, run_id, organization_id, tenant_id, kind, sku_id, subscription_id, before, after, delta, summary, occurred_at) values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        runId,
        organizationId,
        tenantId,
        kind,
        extra.skuId ?? null,
        extra.before ?? null,
        extra.after ?? null,
        extra.delta ?? null,
        summary,
        occurredAt,
      ],
    );
  }

  async function insertDiscrepancy(
    runId: string,
    organizationId: string,
    tenantId: string,
    kind: string,
    title: string,
    extra: { severity?: string; skuId?: string; actBy?: string; silencedBy?: string; figures?: Record<string, number> } = {},
  ) {
    await sql(
      // With the tenant's name in that run, as the reconciliation stores it.
      `insert into discrepancies (run_id, organization_id, key, kind, tenant_id, sku_id, subscription_id, severity, title, explanation, action, act_by, figures, silenced_by, company_name)
       select r.run_id, r.organization_id, r.key, r.kind, r.tenant_id, r.sku_id, null, r.severity, r.title, r.explanation, r.action, r.act_by, r.figures::jsonb, r.silenced_by,
         (select t.company_name from reconciliation_tenants t where t.run_id = r.run_id and t.tenant_id = r.tenant_id)
       from (values (?::uuid, ?::uuid, ?, ?, ?::uuid, ?, ?, ?, ?, ?, ?::timestamptz, ?, ?::uuid))
         as r(run_id, organization_id, key, kind, tenant_id, sku_id, severity, title, explanation, action, act_by, figures, silenced_by)`,
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

  async function seed(): Promise<void> {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { allowGlobalContext: true }));
    await sql(`insert into organizations (id, entra_tenant_id, name, created_at) values (?, ?, 'A', now()), (?, ?, 'B', now())`, [
      orgA,
      randomUUID(),
      orgB,
      randomUUID(),
    ]);

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
      await insertLicence(r, orgA, adatum, {
        id: E3,
        part: 'SPE_E3',
        name: 'Microsoft 365 E3',
        purchased,
        assigned,
        soldByYou: true,
        quantity: purchased,
      });
      await insertLicence(r, orgA, adatum, {
        id: EXPLORATORY,
        part: 'TEAMS_EXPLORATORY',
        name: 'Microsoft Teams Exploratory',
        purchased: 1000,
        assigned: 3,
        free: true,
      });
      await insertLicence(r, orgA, contoso, {
        id: E3,
        part: 'SPE_E3',
        name: 'Microsoft 365 E3',
        purchased: 5,
        assigned: 5,
        soldByYou: true,
        quantity: 5,
      });
    }
    await insertLicence(run.a1Latest, orgA, adatum, {
      id: VISIO,
      part: 'VISIOCLIENT',
      name: 'Visio Plan 2',
      purchased: 2,
      assigned: 2,
      soldByYou: false,
    });
    await insertSubscription(run.a1Latest, orgA, adatum, 'sub-adatum-e3', 'Microsoft 365 E3', 12);
    await insertSubscription(run.a1Latest, orgA, contoso, 'sub-contoso-e3', 'Microsoft 365 E3', 5);
    await insertSubscription(run.a1Oct, orgA, adatum, 'sub-adatum-e3', 'Microsoft 365 E3', 10);
    await insertChange(
      run.a1Nov1,
      orgA,
      adatum,
      'sku.assigned-changed',
      'Adatum Corporation: Microsoft 365 E3 assigned seats 8 → 11 (+3)',
      '2026-11-01T02:03:00Z',
      { skuId: E3, before: '8', after: '11', delta: 3 },
    );
    await insertChange(
      run.a1Latest,
      orgA,
      adatum,
      'sku.purchased-changed',
      'Adatum Corporation: Microsoft 365 E3 purchased seats 10 → 12 (+2)',
      '2026-11-26T02:04:05Z',
      { skuId: E3, before: '10', after: '12', delta: 2 },
    );
    await insertChange(
      run.a1Latest,
      orgA,
      northwind,
      'tenant.removed',
      'Northwind Traders: no longer among your customers',
      '2026-11-26T02:04:05Z',
      { before: 'Northwind Traders' },
    );
    // The previous run's problem is history: only the latest run's discrepancies are "now".
    await insertDiscrepancy(run.a1Nov1, orgA, adatum, 'over-assigned', 'Microsoft 365 E3: 1 user without a paid seat', {
      severity: 'high',
      skuId: E3,
    });
    await insertDiscrepancy(run.a1Latest, orgA, adatum, 'unassigned-seats', 'Microsoft 365 E3: 3 unused seats', {
      skuId: E3,
      actBy: '2026-12-03T00:00:00Z',
      figures: { unassigned: 3 },
    });
    await insertDiscrepancy(run.a1Latest, orgA, contoso, 'tenant-unreadable', 'Could not read Contoso_100%', { severity: 'high' });
    await insertDiscrepancy(run.a1Latest, orgA, adatum, 'not-sold-by-you', 'Visio Plan 2 is not bought through you', {
      severity: 'low',
      skuId: VISIO,
      silencedBy: exclusion.visioAtAdatum,
    });

    // Organization A, account 2.
    await insertRun(run.a2Oct, orgA, adminA2, '2026-10-30T02:00:00Z', 60, { read: 1, failed: 0, changes: 0, open: 0 });
    await insertRun(run.a2Latest, orgA, adminA2, '2026-11-25T02:00:00Z', 61, { read: 1, failed: 0, changes: 0, open: 1 });
    for (const r of [run.a2Oct, run.a2Latest]) {
      await insertTenant(r, orgA, fabrikam, 'Fabrikam, Inc.');
      await insertLicence(r, orgA, fabrikam, {
        id: E3,
        part: 'SPE_E3',
        name: 'Microsoft 365 E3',
        purchased: 7,
        assigned: 7,
        soldByYou: true,
      });
    }
    await insertSubscription(run.a2Oct, orgA, fabrikam, 'sub-fabrikam-e3', 'Microsoft 365 E3', 7);
    await insertDiscrepancy(run.a2Latest, orgA, fabrikam, 'subscription-ending', 'Microsoft 365 E3 ends on 1 December 2026', {
      severity: 'high',
      actBy: '2026-12-01T00:00:00Z',
    });
    await sql(
      `insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) values (?, ?, '2026-10', ?, '2026-11-01T02:03:00Z'), (?, ?, '2026-10', ?, '2026-11-25T02:01:01Z')`,
      [orgA, adminA1, run.a1Oct, orgA, adminA2, run.a2Oct],
    );
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
    await insertChange(run.b, orgB, adatum, 'sku.added', 'Adatum (as B knows it): Microsoft 365 E3 added', '2026-11-27T02:00:30Z', {
      skuId: E3,
    });
    await insertDiscrepancy(run.b, orgB, adatum, 'unassigned-seats', 'B: 98 unused seats', { skuId: E3 });
    await sql(
      `insert into month_end_snapshots (organization_id, delegated_admin_id, month, run_id, frozen_at) values (?, ?, '2026-10', ?, now())`,
      [orgB, adminB, run.b],
    );
    await sql(
      `insert into licensing_exclusions (id, organization_id, tenant_id, sku_id, rule, spare, reason, created_at, created_by_name) values (?, ?, ?, null, 'keep-spare', 2, 'B reason', now(), 'B Admin')`,
      [exclusion.bOwn, orgB, adatum],
    );
    await sql(`insert into reconciliation_schedules (organization_id, time_zone, run_at) values (?, 'Asia/Tokyo', '05:00')`, [orgB]);
  }

  async function close(): Promise<void> {
    await orm.close(true);
    await db.drop();
  }

  return {
    orgA,
    orgB,
    adminA1,
    adminA2,
    adminB,
    adatum,
    contoso,
    fabrikam,
    northwind,
    run,
    exclusion,
    sql,
    insertRun,
    insertTenant,
    insertLicence,
    insertSubscription,
    insertChange,
    insertDiscrepancy,
    seed,
    close,
    get em() {
      return orm.em;
    },
  };
}

export async function all<T>(batches: AsyncIterable<T[]>): Promise<{ rows: T[]; batches: number }> {
  const rows: T[] = [];
  let count = 0;
  for await (const batch of batches) {
    rows.push(...batch);
    count++;
  }
  return { rows, batches: count };
}
