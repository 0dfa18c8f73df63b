import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { ormOptions } from '../../../../shared/infrastructure/database/mikro-orm.config';
import type { ReconciliationRunRecord } from '../../application/ports/reconciliation.repository';
import type { Discrepancy, LicensingChange, TenantPicture } from '../../domain';
import { skuPicture, SKUS, subscriptionPicture, tenantPicture } from '../../domain/testing/pictures';
import { PostgresReconciliationRepository } from './postgres-reconciliation.repository';

// A run written set-based (the values bound as parameters, several statements per table for large runs) reads back
// exactly as it was given, only within its organization.
describe('a reconciliation run written and read back on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let runs: PostgresReconciliationRepository;
  const orgA = randomUUID();
  const orgB = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(db.url, { entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true }));
    await orm.em
      .getConnection()
      .execute(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('${orgA}', '${randomUUID()}', 'A', now()), ('${orgB}', '${randomUUID()}', 'B', now())`,
      );
    runs = new PostgresReconciliationRepository(orm.em);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  const runOf = (organizationId: string): ReconciliationRunRecord => ({
    id: randomUUID(),
    organizationId,
    delegatedAdminId: randomUUID(),
    importRunId: randomUUID(),
    trigger: 'manual',
    startedAt: new Date('2026-12-07T02:00:00Z'),
    finishedAt: new Date('2026-12-07T02:10:00Z'),
    tenantsRead: 1,
    tenantsFailed: 1,
    changes: 1,
    openDiscrepancies: 1,
    error: null,
  });

  // A run written whole: its row, then all its tenants in one part.
  const save = async (...args: Parameters<PostgresReconciliationRepository['saveTenants']>) => {
    await runs.insertRun(args[0]);
    return runs.saveTenants(...args);
  };

  const discrepancy = (tenantId: string, over: Partial<Discrepancy> = {}): Discrepancy => ({
    key: `unassigned-seats|${tenantId}|${SKUS.businessPremium}|`,
    kind: 'unassigned-seats',
    tenantId,
    skuId: SKUS.businessPremium,
    subscriptionId: null,
    severity: 'low',
    title: "Microsoft 365 Business Premium: 3 unused seats — it's “quoted” \\ and ? marks",
    explanation: 'Paid for but not assigned.',
    action: 'Reduce at renewal.',
    actBy: new Date('2027-01-13T00:00:00Z'),
    figures: { purchased: 25, assigned: 22, unassigned: 3 },
    ...over,
  });

  it('gives back every picture as saved, with its changes and open discrepancies, to its own organization only', async () => {
    const adatum = tenantPicture({
      tenantId: randomUUID(),
      companyName: "Adatum's “Corporation” ? \\ 100%",
      skus: [
        skuPicture({ purchased: 25, assigned: 22, lockedOut: 2 }),
        skuPicture({ skuId: SKUS.visio, skuPartNumber: 'VISIOCLIENT', productName: 'Visio', soldByYou: null, lockedOut: 0 }),
      ],
      subscriptions: [
        subscriptionPicture({ refundableQuantity: 3, refundableUntil: new Date('2026-12-09T10:00:00Z'), scheduledQuantity: 20 }),
        subscriptionPicture({
          subscriptionId: randomUUID(),
          skuId: null,
          tenantUnits: null,
          termDuration: null,
          commitmentEndDate: null,
          cancellationAllowedUntilDate: null,
          refundableQuantity: null,
          refundableUntil: null,
          scheduledQuantity: null,
        }),
      ],
      licencesUnreadable: null,
    });
    const unread = tenantPicture({
      tenantId: randomUUID(),
      companyName: 'Fabrikam',
      read: false,
      failureReason: 'GDAP expired',
      skus: [],
      subscriptions: [],
      licencesUnreadable: 'No role',
    });
    const run = runOf(orgA);
    const change: LicensingChange = {
      kind: 'sku.assigned-changed',
      tenantId: adatum.tenantId,
      skuId: SKUS.businessPremium,
      subscriptionId: null,
      before: 20,
      after: 22,
      delta: 2,
      summary: 'Adatum: assigned seats 20 → 22 (+2)',
    };
    const open = discrepancy(adatum.tenantId);
    const silenced = discrepancy(adatum.tenantId, {
      key: `over-assigned|${adatum.tenantId}|${SKUS.visio}|`,
      kind: 'over-assigned',
      skuId: SKUS.visio,
    });

    const ids = await orm.em.transactional(() =>
      save(run, [adatum, unread], [change], { open: [open], silenced: [{ discrepancy: silenced, exclusionId: randomUUID() }] }, new Date()),
    );

    expect(ids).toHaveLength(1);
    const pictures = await runs.picturesOfRun(orgA, run.id);
    const byTenant = new Map(pictures.map((picture) => [picture.tenantId, picture]));
    // The order of a tenant's rows is not kept (the comparison does not depend on it).
    const sorted = (picture: TenantPicture | undefined) =>
      picture && {
        ...picture,
        skus: [...picture.skus].sort((a, b) => a.skuId.localeCompare(b.skuId)),
        subscriptions: [...picture.subscriptions].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId)),
      };
    expect(sorted(byTenant.get(adatum.tenantId))).toEqual(sorted(adatum));
    expect(byTenant.get(unread.tenantId)).toEqual(unread);
    expect(await runs.findByImportRun(orgA, run.importRunId)).toEqual(run);
    expect([...(await runs.openDiscrepancyKeys(orgA, run.id)).entries()]).toEqual([
      [open.key, { kind: open.kind, tenantId: open.tenantId, skuId: open.skuId, subscriptionId: null, title: open.title }],
    ]);
    const [stored] = await orm.em
      .getConnection()
      .execute(
        'select figures, act_by, summary, d.company_name from discrepancies d, licensing_changes c where d.run_id = ? and c.run_id = d.run_id and d.key = ?',
        [run.id, open.key],
      );
    // With the tenant's name in this run (the Licensing page's order).
    expect(stored).toMatchObject({ figures: open.figures, summary: change.summary, company_name: adatum.companyName });
    expect(new Date(stored.act_by as string)).toEqual(open.actBy);

    // The other organization sees none of it.
    expect(await runs.picturesOfRun(orgB, run.id)).toEqual([]);
    expect((await runs.openDiscrepancyKeys(orgB, run.id)).size).toBe(0);
    expect(await runs.findByImportRun(orgB, run.importRunId)).toBeNull();
  });

  it('writes a run larger than one statement holds, every row once', async () => {
    const run = runOf(orgB);
    const pictures: TenantPicture[] = Array.from({ length: 1100 }, (_, i) =>
      tenantPicture({
        tenantId: randomUUID(),
        companyName: `Customer ${i}`,
        skus: [skuPicture(), skuPicture({ skuId: SKUS.e3, skuPartNumber: 'SPE_E3', productName: 'E3' })],
        subscriptions: [subscriptionPicture({ subscriptionId: randomUUID(), quantity: i })],
      }),
    );
    const open = pictures.map((picture) => discrepancy(picture.tenantId));
    await orm.em.transactional(() => save(run, pictures, [], { open, silenced: [] }, new Date()));

    const read = await runs.picturesOfRun(orgB, run.id);
    expect(read).toHaveLength(1100);
    expect(read.reduce((n, picture) => n + picture.skus.length, 0)).toBe(2200);
    expect(new Set(read.flatMap((picture) => picture.subscriptions.map((s) => s.quantity))).size).toBe(1100);
    expect((await runs.openDiscrepancyKeys(orgB, run.id)).size).toBe(1100);
    expect(await runs.picturesOfRun(orgA, run.id)).toEqual([]);
  });

  it('writes a run in parts (its row, its tenants chunk by chunk, its counts) and reads back only the tenants asked for', async () => {
    const run = { ...runOf(orgA), tenantsRead: 3, tenantsFailed: 0, changes: 0, openDiscrepancies: 0 };
    const [adatum, contoso, fabrikam] = ['Adatum', 'Contoso', 'Fabrikam'].map((companyName) =>
      tenantPicture({ tenantId: randomUUID(), companyName, subscriptions: [subscriptionPicture({ subscriptionId: randomUUID() })] }),
    );
    await orm.em.transactional(async () => {
      await runs.insertRun(run);
      await runs.saveTenants(
        run,
        [adatum, contoso],
        [],
        { open: [discrepancy(adatum.tenantId), discrepancy(contoso.tenantId)], silenced: [] },
        new Date(),
      );
      await runs.saveTenants(run, [fabrikam], [], { open: [discrepancy(fabrikam.tenantId)], silenced: [] }, new Date());
      await runs.recordCounts({ ...run, changes: 2, openDiscrepancies: 3 });
    });

    expect(await runs.findByImportRun(orgA, run.importRunId)).toEqual({ ...run, changes: 2, openDiscrepancies: 3 });
    const names = (await runs.tenantsOfRun(orgA, run.id)).sort((a, b) => a.companyName.localeCompare(b.companyName));
    expect(names).toEqual([adatum, contoso, fabrikam].map(({ tenantId, companyName }) => ({ tenantId, companyName })));
    const some = await runs.picturesOfRun(orgA, run.id, [fabrikam.tenantId, adatum.tenantId]);
    expect(some.map((picture) => picture.companyName).sort()).toEqual(['Adatum', 'Fabrikam']);
    expect(some.flatMap((picture) => picture.subscriptions.map((s) => s.subscriptionId)).sort()).toEqual(
      [adatum, fabrikam].map((picture) => picture.subscriptions[0].subscriptionId).sort(),
    );
    expect([...(await runs.openDiscrepancyKeys(orgA, run.id)).keys()].sort()).toEqual(
      [adatum, contoso, fabrikam].map((picture) => discrepancy(picture.tenantId).key).sort(),
    );
    expect(await runs.picturesOfRun(orgA, run.id, [])).toEqual([]);
    // The other organization sees none of it.
    expect(await runs.tenantsOfRun(orgB, run.id)).toEqual([]);
    expect(await runs.picturesOfRun(orgB, run.id, [adatum.tenantId])).toEqual([]);
    expect((await runs.openDiscrepancyKeys(orgB, run.id)).size).toBe(0);
  });

  it('writes nothing of a run whose transaction rolls back', async () => {
    const run = runOf(orgA);
    await expect(
      orm.em.transactional(async () => {
        await save(run, [tenantPicture({ tenantId: randomUUID() })], [], { open: [], silenced: [] }, new Date());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await runs.findByImportRun(orgA, run.importRunId)).toBeNull();
    expect(await runs.picturesOfRun(orgA, run.id)).toEqual([]);
  });
});
