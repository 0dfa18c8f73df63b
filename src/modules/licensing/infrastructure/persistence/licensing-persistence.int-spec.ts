import { randomUUID } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/postgresql';
import type { TestDatabase } from '../../../../../test/support/test-database';
import { MikroOrmTransaction } from '../../../../shared/infrastructure/database/mikro-orm-transaction';
import { MikroOrmEventOutbox } from '../../../../shared/infrastructure/jobs/mikro-orm-event-outbox';
import { FixedClock } from '../../../../shared/testing/fakes';
import type { SkuLicenceSnapshot } from '../../../partner-center';
import { RecordTenantLicencesUseCase, type RecordTenantLicencesCommand } from '../../application/record-tenant-licences.use-case';
import {
  directorySubscriptionSnapshot,
  externalDirectorySubscriptionSnapshot,
  SKU_IDS,
  skuSnapshot,
  subscriptionSnapshot,
} from '../testing/licence-snapshots';
import { licensingTestDatabase } from '../testing/licensing-test-database';
import { MikroOrmLicensedTenantRepository } from './mikro-orm-licensed-tenant.repository';
import { PostgresLicensingQueries } from './postgres-licensing.queries';

describe('licences and subscriptions of customer tenants on PostgreSQL', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let queries: PostgresLicensingQueries;
  let recordTenantLicences: RecordTenantLicencesUseCase;
  const statements: string[] = [];
  const orgA = randomUUID();
  const orgB = randomUUID();
  // A third organization for the cases that must not add to org B's rows.
  const orgC = randomUUID();

  beforeAll(async () => {
    ({ db, orm } = await licensingTestDatabase([orgA, orgB, orgC], {
      // Every statement sent, to count round trips.
      debug: ['query'],
      logger: (message) => statements.push(message),
    }));
    const em = orm.em;
    recordTenantLicences = new RecordTenantLicencesUseCase(
      new MikroOrmLicensedTenantRepository(em),
      new MikroOrmTransaction(em),
      new MikroOrmEventOutbox(em),
      new FixedClock(new Date('2026-11-26T12:00:00Z')),
    );
    queries = new PostgresLicensingQueries(em);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  // Each event is handled in a fresh context in the app; the same here.
  async function record(command: Partial<RecordTenantLicencesCommand> & { tenantId: string }) {
    const outcome = await recordTenantLicences.execute({
      organizationId: orgA,
      importRunId: randomUUID(),
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [
        skuSnapshot(),
        skuSnapshot({
          skuId: SKU_IDS.copilot,
          skuPartNumber: 'Microsoft_365_Copilot',
          productName: null,
          activeUnits: 5,
          consumedUnits: 5,
        }),
      ],
      subscriptions: [subscriptionSnapshot({ id: `sub-${command.tenantId}` })],
      ...command,
    });
    orm.em.clear();
    return outcome;
  }

  // Row versions: PostgreSQL gives an updated row a new xmin even when every value is the same.
  async function rowVersions(table: 'tenant_licences' | 'tenant_subscriptions' | 'tenant_directory_subscriptions', tenantId: string) {
    return orm.em
      .getConnection()
      .execute<{ id: string; xmin: string; changed_at: string }[]>(
        `select id, xmin::text as xmin, changed_at::text as changed_at from ${table} where organization_id = ? and tenant_id = ? order by id`,
        [orgA, tenantId],
      );
  }

  async function readTime(organizationId: string, tenantId: string) {
    const [row] = await orm.em
      .getConnection()
      .execute<{ read_at: string }[]>('select read_at from tenant_licence_reads where organization_id = ? and tenant_id = ?', [
        organizationId,
        tenantId,
      ]);
    return row ? new Date(row.read_at).toISOString() : null;
  }

  async function recordedEvents(tenantId: string) {
    const rows = await orm.em
      .getConnection()
      .execute<{ payload: { tenantId: string; purchased: number; assigned: number; hasUnassignedSeats: boolean } }[]>(
        `select payload from outbox_messages where event_name = 'licensing.licences-recorded' and payload->>'tenantId' = ? order by occurred_at`,
        [tenantId],
      );
    return rows.map((r) => r.payload);
  }

  it('stores a first read and shows it with catalogue names, seat counts and the read time', async () => {
    const tenant = randomUUID();
    await record({ tenantId: tenant });

    expect(await queries.licencesOfTenant(orgA, tenant)).toEqual([
      {
        tenantId: tenant,
        skuId: SKU_IDS.businessPremium,
        skuPartNumber: 'SPB',
        productName: 'Microsoft 365 Business Premium',
        capabilityStatus: 'Enabled',
        purchased: 25,
        assigned: 20,
        available: 5,
        suspended: 0,
        warning: 0,
        lockedOut: 0,
        readAt: '2026-11-26T10:00:00.000Z',
      },
      expect.objectContaining({ skuId: SKU_IDS.copilot, productName: 'Microsoft 365 Copilot', purchased: 5, assigned: 5, available: 0 }),
    ]);
    expect(await queries.subscriptionsOfTenant(orgA, tenant)).toEqual([
      {
        tenantId: tenant,
        id: `sub-${tenant}`,
        offerName: 'Microsoft 365 Business Premium',
        friendlyName: 'Business Premium (annual)',
        quantity: 25,
        termDuration: 'P1Y',
        billingCycle: 'monthly',
        status: 'active',
        autoRenewEnabled: true,
        isTrial: false,
        commitmentEndDate: '2027-01-14T00:00:00.000Z',
        cancellationAllowedUntilDate: '2026-01-22T00:00:00.000Z',
        // Partner Center's new-commerce fields, not sent for this subscription.
        refundableQuantity: null,
        scheduledQuantity: null,
        readAt: '2026-11-26T10:00:00.000Z',
        skuId: null,
        tenantUnits: null,
      },
    ]);
    expect(await recordedEvents(tenant)).toEqual([
      expect.objectContaining({ tenantId: tenant, purchased: 30, assigned: 25, hasUnassignedSeats: true }),
    ]);
  });

  it('writes no licence or subscription row on an identical re-read: only the read time moves, and the event is still published', async () => {
    const tenant = randomUUID();
    await record({ tenantId: tenant });
    const licencesBefore = await rowVersions('tenant_licences', tenant);
    const subscriptionsBefore = await rowVersions('tenant_subscriptions', tenant);
    statements.length = 0;

    const outcome = await record({ tenantId: tenant, readAt: '2026-11-27T10:00:00.000Z' });

    expect(outcome.changed).toBe(false);
    expect(await rowVersions('tenant_licences', tenant)).toEqual(licencesBefore);
    expect(await rowVersions('tenant_subscriptions', tenant)).toEqual(subscriptionsBefore);
    expect(statements.filter((s) => /(insert into|update|delete from) "?tenant_(licences|subscriptions)"?/i.test(s))).toEqual([]);
    expect(await readTime(orgA, tenant)).toBe('2026-11-27T10:00:00.000Z');
    expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => l.readAt)).toEqual([
      '2026-11-27T10:00:00.000Z',
      '2026-11-27T10:00:00.000Z',
    ]);
    expect(await recordedEvents(tenant)).toHaveLength(2);
  });

  it('updates the SKU that changed and deletes SKUs and subscriptions that vanished', async () => {
    const tenant = randomUUID();
    await record({ tenantId: tenant });
    const before = await rowVersions('tenant_licences', tenant);

    await record({
      tenantId: tenant,
      readAt: '2026-11-27T10:00:00.000Z',
      skus: [skuSnapshot({ consumedUnits: 24, capabilityStatus: 'Warning' })],
      subscriptions: [],
    });

    const after = await rowVersions('tenant_licences', tenant);
    expect(after).toHaveLength(1);
    const kept = before.find((row) => row.id === after[0].id);
    expect(after[0].xmin).not.toBe(kept?.xmin);
    expect(new Date(after[0].changed_at).toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(await queries.licencesOfTenant(orgA, tenant)).toEqual([
      expect.objectContaining({ skuId: SKU_IDS.businessPremium, assigned: 24, capabilityStatus: 'Warning' }),
    ]);
    expect(await queries.subscriptionsOfTenant(orgA, tenant)).toEqual([]);
    expect(await recordedEvents(tenant)).toContainEqual(expect.objectContaining({ purchased: 25, assigned: 24, hasUnassignedSeats: true }));
  });

  it("writes a tenant's dozens of SKUs in one INSERT, not one round trip per row", async () => {
    const tenant = randomUUID();
    const skus: SkuLicenceSnapshot[] = Array.from({ length: 40 }, (_, i) =>
      skuSnapshot({ skuId: randomUUID(), skuPartNumber: `SKU_${i}`, productName: `Product ${i}` }),
    );
    statements.length = 0;
    await record({ tenantId: tenant, skus });
    expect(statements.filter((s) => /insert into "tenant_licences"/.test(s))).toHaveLength(1);
    expect(await queries.licencesOfTenant(orgA, tenant)).toHaveLength(40);

    statements.length = 0;
    await record({
      tenantId: tenant,
      readAt: '2026-11-27T10:00:00.000Z',
      skus: skus.map((s, i) => (i < 20 ? { ...s, consumedUnits: 1 } : s)).slice(0, 30),
    });
    expect(statements.filter((s) => /update "tenant_licences"/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /delete from "tenant_licences"/.test(s))).toHaveLength(1);
    expect((await queries.licencesOfTenant(orgA, tenant)).filter((l) => l.assigned === 1)).toHaveLength(20);
    expect(await queries.licencesOfTenant(orgA, tenant)).toHaveLength(30);
  });

  it("reads a page of tenants' licences with one statement (and one for catalogue names), by lower-case tenant id", async () => {
    const [two, one, unread, otherOrganizations] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await record({ tenantId: two });
    await record({ tenantId: one, skus: [skuSnapshot({ activeUnits: 7, consumedUnits: 3 })] });
    await record({ organizationId: orgC, tenantId: otherOrganizations });

    const asked = [two.toUpperCase(), one, unread, otherOrganizations, 'not-a-tenant'];
    statements.length = 0;
    const byTenant = await queries.licencesOfTenants(orgA, asked);
    expect(statements.filter((s) => /from tenant_licences/.test(s))).toHaveLength(1);
    expect(statements.length).toBeLessThanOrEqual(2);

    expect([...byTenant.keys()]).toEqual(asked.map((id) => id.toLowerCase()));
    expect(byTenant.get(two)!.map((l) => [l.tenantId, l.skuId])).toEqual(
      (await queries.licencesOfTenant(orgA, two)).map((l) => [two, l.skuId]),
    );
    expect(
      byTenant
        .get(two)!
        .map((l) => l.skuId)
        .sort(),
    ).toEqual([SKU_IDS.businessPremium, SKU_IDS.copilot].sort());
    expect(byTenant.get(one)).toEqual([
      expect.objectContaining({ tenantId: one, skuId: SKU_IDS.businessPremium, purchased: 7, assigned: 3 }),
    ]);
    // Not read, another organization's tenant, not a tenant id: none.
    expect(byTenant.get(unread)).toEqual([]);
    expect(byTenant.get(otherOrganizations)).toEqual([]);
    expect(byTenant.get('not-a-tenant')).toEqual([]);
    expect((await queries.licencesOfTenants(orgC, [otherOrganizations])).get(otherOrganizations)).toHaveLength(2);
  });

  it('keeps organizations apart: org B never sees org A licences of the same tenant, nor the reverse', async () => {
    const tenant = randomUUID();
    await record({ tenantId: tenant });
    await record({
      organizationId: orgB,
      tenantId: tenant,
      skus: [skuSnapshot({ skuId: SKU_IDS.unknown, skuPartNumber: 'CONTOSO_SPECIAL', productName: null, activeUnits: 2 })],
      subscriptions: [],
    });

    expect((await queries.licencesOfTenant(orgB, tenant)).map((l) => l.productName)).toEqual(['CONTOSO_SPECIAL']);
    expect(await queries.subscriptionsOfTenant(orgB, tenant)).toEqual([]);
    expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => l.skuId)).toEqual([SKU_IDS.businessPremium, SKU_IDS.copilot]);
    const orgBExport: string[] = [];
    for await (const batch of queries.allLicences(orgB)) orgBExport.push(...batch.map((l) => `${l.tenantId}/${l.skuId}`));
    expect(orgBExport).toEqual([`${tenant}/${SKU_IDS.unknown}`]);
  });

  it('answers nothing for a tenant id that is not a GUID, instead of failing', async () => {
    expect(await queries.licencesOfTenant(orgA, 'not-a-tenant')).toEqual([]);
    expect(await queries.subscriptionsOfTenant(orgA, 'not-a-tenant')).toEqual([]);
  });

  it('lets two imports record the same tenant at once, one after the other, without colliding', async () => {
    const tenant = randomUUID();
    const first = recordTenantLicences.execute({
      organizationId: orgA,
      importRunId: randomUUID(),
      tenantId: tenant,
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [skuSnapshot()],
      subscriptions: [],
    });
    const second = recordTenantLicences.execute({
      organizationId: orgA,
      importRunId: randomUUID(),
      tenantId: tenant,
      readAt: '2026-11-26T10:00:01.000Z',
      skus: [skuSnapshot({ consumedUnits: 21 })],
      subscriptions: [],
    });
    await Promise.all([first, second]);
    orm.em.clear();
    expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => l.assigned)).toEqual([21]);
  });

  it('streams every licence of an organization in batches of whole tenants, ordered by tenant then product', async () => {
    const org = randomUUID();
    await orm.em
      .getConnection()
      .execute(
        `insert into organizations (id, entra_tenant_id, name, created_at) values ('${org}', '${randomUUID()}', 'Streaming', now())`,
      );
    const tenants = Array.from({ length: 5 }, () => randomUUID()).sort();
    for (const tenant of tenants) {
      await record({
        organizationId: org,
        tenantId: tenant,
        skus: [
          skuSnapshot({ skuId: SKU_IDS.copilot, skuPartNumber: 'Microsoft_365_Copilot', productName: null }),
          skuSnapshot({ skuId: SKU_IDS.businessBasic, skuPartNumber: 'O365_BUSINESS_ESSENTIALS', productName: null }),
          skuSnapshot(),
        ],
      });
    }
    queries.tenantsPerBatch = 2;
    const batches = [];
    for await (const batch of queries.allLicences(org)) batches.push(batch);
    queries.tenantsPerBatch = 200;

    expect(batches.map((b) => new Set(b.map((l) => l.tenantId)).size)).toEqual([2, 2, 1]);
    const all = batches.flat();
    expect(all).toHaveLength(15);
    expect(all.map((l) => l.tenantId)).toEqual(tenants.flatMap((t) => [t, t, t]));
    expect(all.slice(0, 3).map((l) => l.productName)).toEqual([
      'Microsoft 365 Business Basic',
      'Microsoft 365 Business Premium',
      'Microsoft 365 Copilot',
    ]);
  });

  describe("the subscriptions in a customer's directory", () => {
    const skus = [
      skuSnapshot(),
      skuSnapshot({ skuId: SKU_IDS.visioPlan2, skuPartNumber: 'VISIOCLIENT', productName: null, activeUnits: 5, consumedUnits: 2 }),
    ];
    // As in Margie's Travel: Business Premium sold through Partner Center (an id of its own per tenant, the
    // directory spelling it in upper case), and a Visio Plan 2 bought elsewhere.
    function margies() {
      const sold = subscriptionSnapshot({ id: randomUUID() });
      return {
        sold,
        subscriptions: [sold],
        directory: {
          subscriptions: [
            directorySubscriptionSnapshot({ commerceSubscriptionId: sold.id.toUpperCase() }),
            externalDirectorySubscriptionSnapshot(),
          ],
        },
      };
    }

    it("matches Partner Center's subscriptions to the directory's: the Visio bought elsewhere is not sold by you", async () => {
      const tenant = randomUUID();
      const { sold, subscriptions, directory } = margies();
      await record({ tenantId: tenant, skus, subscriptions, directory });

      const matches = await queries.subscriptionMatches(orgA, tenant.toUpperCase());

      expect(matches.tenantId).toBe(tenant);
      expect(matches.directory).toEqual({ readAt: '2026-11-26T10:00:00.000Z', failure: null });
      expect(matches.directorySubscriptions).toEqual([
        {
          id: directorySubscriptionSnapshot().id,
          commerceSubscriptionId: sold.id.toUpperCase(),
          skuId: SKU_IDS.businessPremium,
          skuPartNumber: 'SPB',
          productName: 'Microsoft 365 Business Premium',
          status: 'Enabled',
          totalLicenses: 25,
          isTrial: false,
          createdDateTime: '2026-01-15T09:30:00.000Z',
          nextLifecycleDateTime: '2027-01-15T00:00:00.000Z',
          // Graph's ownerTenantId was not part of this read: the Partner Center match says who sold it.
          ownerTenantId: null,
          soldByYou: true,
          partnerCenter: { id: sold.id, offerName: 'Microsoft 365 Business Premium', quantity: 25, status: 'active' },
        },
        expect.objectContaining({ skuPartNumber: 'VISIOCLIENT', productName: 'Visio Plan 2', totalLicenses: 5, partnerCenter: null }),
      ]);
      expect(matches.partnerCenterOnly).toEqual([]);
      expect(matches.skus).toEqual([
        { skuId: SKU_IDS.businessPremium, productName: 'Microsoft 365 Business Premium', soldByYou: true },
        { skuId: SKU_IDS.visioPlan2, productName: 'Visio Plan 2', soldByYou: false },
      ]);
      expect(await queries.subscriptionsOfTenant(orgA, tenant)).toEqual([
        expect.objectContaining({ id: sold.id, quantity: 25, skuId: SKU_IDS.businessPremium, tenantUnits: 25 }),
      ]);
    });

    it('lists a Partner Center subscription the directory does not show', async () => {
      const tenant = randomUUID();
      const pending = subscriptionSnapshot({ id: randomUUID(), offerName: 'Microsoft 365 Copilot', quantity: 3 });
      const { sold, subscriptions, directory } = margies();
      await record({ tenantId: tenant, skus, subscriptions: [...subscriptions, pending], directory });

      const matches = await queries.subscriptionMatches(orgA, tenant);

      expect(matches.partnerCenterOnly).toEqual([
        expect.objectContaining({ id: pending.id, offerName: 'Microsoft 365 Copilot', quantity: 3, skuId: null, tenantUnits: null }),
      ]);
      expect((await queries.subscriptionsOfTenant(orgA, tenant)).map((s) => [s.id, s.skuId])).toEqual([
        [sold.id, SKU_IDS.businessPremium],
        [pending.id, null],
      ]);
    });

    it("reads a page of tenants' subscriptions in two statements, each tenant's as subscriptionsOfTenant gives it", async () => {
      const [matched, withPending, withoutSubscriptions, otherOrganizations] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await record({ tenantId: matched, skus, ...margies() });
      const pending = subscriptionSnapshot({ id: randomUUID(), offerName: 'Microsoft 365 Copilot', quantity: 3 });
      const second = margies();
      await record({ tenantId: withPending, skus, subscriptions: [...second.subscriptions, pending], directory: second.directory });
      await record({ tenantId: withoutSubscriptions, skus, subscriptions: [] });
      await record({ organizationId: orgB, tenantId: otherOrganizations, skus, ...margies() });

      const asked = [matched.toUpperCase(), withPending, withoutSubscriptions, otherOrganizations, 'not-a-tenant'];
      const before = statements.length;
      const byTenant = await queries.subscriptionsOfTenants(orgA, asked);
      expect(statements.length - before).toBe(2);

      expect([...byTenant.keys()]).toEqual(asked.map((id) => id.toLowerCase()));
      for (const tenant of [matched, withPending]) expect(byTenant.get(tenant)).toEqual(await queries.subscriptionsOfTenant(orgA, tenant));
      expect(byTenant.get(withPending)!.map((s) => [s.id, s.skuId])).toEqual([
        [second.sold.id, SKU_IDS.businessPremium],
        [pending.id, null],
      ]);
      expect(byTenant.get(matched)).toEqual([expect.objectContaining({ skuId: SKU_IDS.businessPremium, tenantUnits: 25 })]);
      // No subscriptions, another organization's tenant, not a tenant id: none.
      expect(byTenant.get(withoutSubscriptions)).toEqual([]);
      expect(byTenant.get(otherOrganizations)).toEqual([]);
      expect(byTenant.get('not-a-tenant')).toEqual([]);
      expect((await queries.subscriptionsOfTenants(orgB, [otherOrganizations])).get(otherOrganizations)).toHaveLength(1);
    });

    it('writes no directory row on an identical re-read, and updates and deletes only what changed', async () => {
      const tenant = randomUUID();
      const { subscriptions, directory } = margies();
      await record({ tenantId: tenant, skus, subscriptions, directory });
      const before = await rowVersions('tenant_directory_subscriptions', tenant);
      statements.length = 0;

      await record({ tenantId: tenant, skus, subscriptions, readAt: '2026-11-27T10:00:00.000Z', directory });

      expect(await rowVersions('tenant_directory_subscriptions', tenant)).toEqual(before);
      expect(statements.filter((s) => /(insert into|update|delete from) "?tenant_directory_subscriptions"?/i.test(s))).toEqual([]);
      expect((await queries.subscriptionMatches(orgA, tenant)).directory.readAt).toBe('2026-11-27T10:00:00.000Z');

      await record({
        tenantId: tenant,
        skus,
        subscriptions,
        readAt: '2026-11-28T10:00:00.000Z',
        directory: { subscriptions: [{ ...directory.subscriptions[0], totalLicenses: 30 }] },
      });

      const after = await rowVersions('tenant_directory_subscriptions', tenant);
      expect(after).toHaveLength(1);
      expect(new Date(after[0].changed_at).toISOString()).toBe('2026-11-28T10:00:00.000Z');
      expect(
        (await queries.subscriptionMatches(orgA, tenant)).directorySubscriptions.map((s) => [s.skuPartNumber, s.totalLicenses]),
      ).toEqual([['SPB', 30]]);
    });

    it('keeps the last known directory subscriptions, with when they were read and why they could not be read now', async () => {
      const tenant = randomUUID();
      const { subscriptions, directory } = margies();
      await record({ tenantId: tenant, skus, subscriptions, directory });
      const reason =
        'Microsoft did not issue a token for this customer’s directory (AADSTS50020): the partner has no active GDAP relationship giving the service account access.';

      await record({ tenantId: tenant, skus, subscriptions, readAt: '2026-11-27T10:00:00.000Z', directory: { unreadable: reason } });

      const matches = await queries.subscriptionMatches(orgA, tenant);
      expect(matches.directory).toEqual({ readAt: '2026-11-26T10:00:00.000Z', failure: { reason, at: '2026-11-27T10:00:00.000Z' } });
      expect(matches.directorySubscriptions).toHaveLength(2);
      expect(matches.skus.map((s) => s.soldByYou)).toEqual([true, false]);

      await record({ tenantId: tenant, skus, subscriptions, readAt: '2026-11-28T10:00:00.000Z', directory });
      expect((await queries.subscriptionMatches(orgA, tenant)).directory).toEqual({ readAt: '2026-11-28T10:00:00.000Z', failure: null });
    });

    it('knows nothing about who sold what while the directory has never been read', async () => {
      const tenant = randomUUID();
      await record({ tenantId: tenant, skus, directory: { unreadable: 'No GDAP relationship.' } });

      const matches = await queries.subscriptionMatches(orgA, tenant);

      expect(matches.directory).toEqual({ readAt: null, failure: { reason: 'No GDAP relationship.', at: '2026-11-26T10:00:00.000Z' } });
      expect(matches.directorySubscriptions).toEqual([]);
      expect(matches.partnerCenterOnly).toBeNull();
      expect(matches.skus.map((s) => s.soldByYou)).toEqual([null, null]);
    });

    it("keeps organizations apart: org B never sees org A's directory subscriptions of the same tenant", async () => {
      const tenant = randomUUID();
      await record({ tenantId: tenant, skus, ...margies() });
      await record({ organizationId: orgB, tenantId: tenant, skus, subscriptions: [], directory: { subscriptions: [] } });

      const orgBMatches = await queries.subscriptionMatches(orgB, tenant);
      expect(orgBMatches.directorySubscriptions).toEqual([]);
      expect(orgBMatches.skus.map((s) => s.soldByYou)).toEqual([false, false]);
      expect((await queries.subscriptionMatches(orgA, tenant)).directorySubscriptions).toHaveLength(2);
    });

    it('answers an empty match for a tenant id that is not a GUID, instead of failing', async () => {
      expect(await queries.subscriptionMatches(orgA, 'not-a-tenant')).toEqual({
        tenantId: 'not-a-tenant',
        directory: { readAt: null, failure: null },
        directorySubscriptions: [],
        partnerCenterOnly: null,
        skus: [],
      });
    });
  });

  describe('licences Partner Center would not list (no licence-reading GDAP role)', () => {
    it('keeps the last known licences untouched, leaves them out of every list, and says why; a later read lists them again', async () => {
      const tenant = randomUUID();
      await record({ tenantId: tenant });
      const before = await rowVersions('tenant_licences', tenant);

      const outcome = await record({
        tenantId: tenant,
        readAt: '2026-11-27T10:00:00.000Z',
        skus: [],
        licencesUnreadable: 'GDAP role missing: no role may read licences.',
      });

      // Unknown, never zero: no licence row deleted or rewritten.
      expect(await rowVersions('tenant_licences', tenant)).toEqual(before);
      expect(outcome.licencesUnreadable).toBe('GDAP role missing: no role may read licences.');
      expect(await queries.licencesOfTenant(orgA, tenant)).toEqual([]);
      expect((await queries.licencePage(orgA, { tenantId: tenant }, null, 10)).items).toEqual([]);
      expect(await queries.licencesUnreadable(orgA, tenant)).toEqual({
        reason: 'GDAP role missing: no role may read licences.',
        at: new Date('2026-11-27T10:00:00.000Z'),
      });
      // Its subscriptions were read as usual.
      expect(await queries.subscriptionsOfTenant(orgA, tenant)).toEqual([expect.objectContaining({ id: `sub-${tenant}` })]);
      expect((await recordedEvents(tenant)).at(-1)).toMatchObject({ licencesUnreadable: 'GDAP role missing: no role may read licences.' });

      await record({ tenantId: tenant, readAt: '2026-11-28T10:00:00.000Z' });

      expect(await queries.licencesUnreadable(orgA, tenant)).toBeNull();
      expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => l.skuId)).toEqual([SKU_IDS.businessPremium, SKU_IDS.copilot]);
    });
  });

  it("stores the directory's locked-out units on the tenant's licences", async () => {
    const tenant = randomUUID();
    const directory = { subscriptions: [directorySubscriptionSnapshot()], skuUnits: [{ skuId: SKU_IDS.businessPremium, lockedOut: 3 }] };

    await record({ tenantId: tenant, directory });

    expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => [l.skuId, l.lockedOut])).toEqual([
      [SKU_IDS.businessPremium, 3],
      [SKU_IDS.copilot, 0],
    ]);
  });

  it("names a SKU the hand-written list does not know by Microsoft's catalogue title, stored with its subscription", async () => {
    const tenant = randomUUID();
    const unknownSku = '26124093-3d78-432b-b5dc-48bf992543d5';
    const sold = subscriptionSnapshot({
      id: randomUUID(),
      catalogueProductId: 'CFQ7TTC0LFSB',
      catalogueSkuId: '0001',
      catalogueName: 'Microsoft 365 E5 Security',
    });
    const directory = {
      subscriptions: [
        directorySubscriptionSnapshot({
          id: randomUUID(),
          skuId: unknownSku,
          skuPartNumber: 'IDENTITY_THREAT_PROTECTION',
          commerceSubscriptionId: sold.id,
        }),
      ],
    };

    await record({
      tenantId: tenant,
      skus: [skuSnapshot({ skuId: unknownSku, skuPartNumber: 'IDENTITY_THREAT_PROTECTION', productName: null })],
      subscriptions: [sold],
      directory,
    });
    // A later read that could not ask the catalogue keeps the name.
    await record({
      tenantId: tenant,
      readAt: '2026-11-27T10:00:00.000Z',
      skus: [skuSnapshot({ skuId: unknownSku, skuPartNumber: 'IDENTITY_THREAT_PROTECTION', productName: null })],
      subscriptions: [{ ...sold, catalogueName: null }],
      directory,
    });

    expect((await queries.licencesOfTenant(orgA, tenant)).map((l) => l.productName)).toEqual(['Microsoft 365 E5 Security']);
    expect((await queries.subscriptionMatches(orgA, tenant)).directorySubscriptions.map((d) => d.productName)).toEqual([
      'Microsoft 365 E5 Security',
    ]);
  });

  it("names a SKU for every tenant of the organization from one tenant's subscription, and forgets the name with it", async () => {
    const [seller, holder] = [randomUUID(), randomUUID()];
    const sku = randomUUID();
    const partNumber = 'IDENTITY_THREAT_PROTECTION_FOR_EMS_E5';
    const licence = skuSnapshot({ skuId: sku, skuPartNumber: partNumber, productName: null });
    const sold = subscriptionSnapshot({
      id: randomUUID(),
      catalogueProductId: 'CFQ7TTC0LFSC',
      catalogueSkuId: '0001',
      catalogueName: 'Title From Microsoft',
    });
    const directoryNaming = (commerceSubscriptionId: string) => ({
      subscriptions: [
        directorySubscriptionSnapshot({ id: randomUUID(), skuId: sku.toUpperCase(), skuPartNumber: partNumber, commerceSubscriptionId }),
      ],
    });
    const sellerRead = { tenantId: seller, skus: [licence], subscriptions: [sold], directory: directoryNaming(sold.id) };
    await record(sellerRead);
    // Bought elsewhere: no subscription of the partner's names it, so its name comes from the other tenant.
    await record({ tenantId: holder, skus: [licence], subscriptions: [], directory: directoryNaming(randomUUID()) });
    await recordTenantLicences.execute({
      organizationId: orgB,
      importRunId: randomUUID(),
      tenantId: holder,
      readAt: '2026-11-26T10:00:00.000Z',
      skus: [licence],
      subscriptions: [],
    });
    orm.em.clear();

    expect((await queries.licencesOfTenant(orgA, holder)).map((l) => l.productName)).toEqual(['Title From Microsoft']);
    expect((await queries.licencePage(orgA, { skuId: sku }, null, 10)).items.map((l) => [l.tenantId, l.productName])).toEqual(
      [seller, holder].sort().map((tenantId) => [tenantId, 'Title From Microsoft']),
    );
    const exported: string[] = [];
    for await (const batch of queries.allLicences(orgA)) exported.push(...batch.filter((l) => l.skuId === sku).map((l) => l.productName));
    expect(exported).toEqual(['Title From Microsoft', 'Title From Microsoft']);
    // Another organization learnt nothing from this one.
    expect((await queries.licencesOfTenant(orgB, holder)).map((l) => l.productName)).toEqual([partNumber]);

    // The same read again writes no name.
    const names = () =>
      orm.em
        .getConnection()
        .execute<{ sku_id: string; name: string; xmin: string }[]>(
          'select sku_id, name, xmin::text as xmin from tenant_sku_names where organization_id = ? and tenant_id = ?',
          [orgA, seller],
        );
    const before = await names();
    expect(before.map((n) => [n.sku_id, n.name])).toEqual([[sku, 'Title From Microsoft']]);
    await record({ ...sellerRead, readAt: '2026-11-27T10:00:00.000Z' });
    expect(await names()).toEqual(before);

    // The subscription ends and the directory no longer shows it: nothing names the SKU any more.
    await record({
      tenantId: seller,
      readAt: '2026-11-28T10:00:00.000Z',
      skus: [licence],
      subscriptions: [],
      directory: { subscriptions: [] },
    });
    expect(await names()).toEqual([]);
    expect((await queries.licencesOfTenant(orgA, holder)).map((l) => l.productName)).toEqual([partNumber]);
  });
});
