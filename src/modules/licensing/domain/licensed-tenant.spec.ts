import {
  directorySubscriptionSnapshot,
  externalDirectorySubscriptionSnapshot,
  SKU_IDS,
  skuSnapshot,
  subscriptionSnapshot,
} from '../infrastructure/testing/licence-snapshots';
import { LicensedTenant } from './licensed-tenant';
import { TenantLicence } from './tenant-licence';
import { TenantSubscription } from './tenant-subscription';

const ORG = 'org-1';
const TENANT = '6a2f51c8-1d4e-4b0a-9f3e-2c7d8e9f0a1b';
const FIRST_READ = new Date('2026-11-26T10:00:00Z');
const SECOND_READ = new Date('2026-11-27T10:00:00Z');

let ids = 0;
const newId = () => `row-${++ids}`;

// A tenant as the repository would load it after a first read.
function tenantAfterFirstRead(
  read = {
    skus: [
      skuSnapshot(),
      skuSnapshot({ skuId: SKU_IDS.copilot, skuPartNumber: 'Microsoft_365_Copilot', activeUnits: 5, consumedUnits: 5 }),
    ],
    subscriptions: [subscriptionSnapshot()],
  },
) {
  const fresh = new LicensedTenant(ORG, TENANT, [], [], null);
  fresh.record({ ...read, readAt: FIRST_READ }, newId);
  return new LicensedTenant(ORG, TENANT, [...fresh.licences], [...fresh.subscriptions], FIRST_READ);
}

describe('recording the licences an import read for a tenant', () => {
  it('adds every SKU and subscription of a first read, stamped with the read time', () => {
    const tenant = new LicensedTenant(ORG, TENANT, [], [], null);
    const outcome = tenant.record({ skus: [skuSnapshot()], subscriptions: [subscriptionSnapshot()], readAt: FIRST_READ }, newId);
    expect(outcome).toEqual({
      outcome: 'recorded',
      changed: true,
      totals: { purchased: 25, assigned: 20, hasUnassignedSeats: true },
      licencesUnreadable: null,
    });
    expect(tenant.changes.licences.added).toHaveLength(1);
    expect(tenant.changes.subscriptions.added).toHaveLength(1);
    expect(tenant.licences[0]).toMatchObject({
      organizationId: ORG,
      tenantId: TENANT,
      skuId: SKU_IDS.businessPremium,
      activeUnits: 25,
      consumedUnits: 20,
      changedAt: FIRST_READ,
    });
    expect(tenant.subscriptions[0]).toMatchObject({
      subscriptionId: subscriptionSnapshot().id,
      quantity: 25,
      commitmentEndDate: new Date('2027-01-14T00:00:00Z'),
      changedAt: FIRST_READ,
    });
    expect(tenant.changes.readAt).toEqual(FIRST_READ);
  });

  it('changes nothing but the read time when Partner Center says the same again', () => {
    const tenant = tenantAfterFirstRead();
    const outcome = tenant.record(
      {
        skus: [
          skuSnapshot(),
          skuSnapshot({ skuId: SKU_IDS.copilot, skuPartNumber: 'Microsoft_365_Copilot', activeUnits: 5, consumedUnits: 5 }),
        ],
        subscriptions: [subscriptionSnapshot()],
        readAt: SECOND_READ,
      },
      newId,
    );
    expect(outcome.changed).toBe(false);
    expect(tenant.changes.licences).toEqual({ added: [], updated: [], removed: [] });
    expect(tenant.changes.subscriptions).toEqual({ added: [], updated: [], removed: [] });
    expect(tenant.changes.readAt).toEqual(SECOND_READ);
    expect(tenant.licences.map((l) => l.changedAt)).toEqual([FIRST_READ, FIRST_READ]);
  });

  it('treats the same instant spelled differently, and a SKU id in upper case, as unchanged', () => {
    const tenant = tenantAfterFirstRead({ skus: [skuSnapshot()], subscriptions: [subscriptionSnapshot()] });
    tenant.record(
      {
        skus: [skuSnapshot({ skuId: SKU_IDS.businessPremium.toUpperCase() })],
        subscriptions: [subscriptionSnapshot({ commitmentEndDate: '2027-01-14T01:00:00+01:00' })],
        readAt: SECOND_READ,
      },
      newId,
    );
    expect(tenant.changes.licences.updated).toEqual([]);
    expect(tenant.changes.subscriptions.updated).toEqual([]);
  });

  it('updates only the SKU whose counts changed, and moves its changedAt to the read time', () => {
    const tenant = tenantAfterFirstRead();
    const outcome = tenant.record(
      {
        skus: [
          skuSnapshot({ consumedUnits: 25 }),
          skuSnapshot({ skuId: SKU_IDS.copilot, skuPartNumber: 'Microsoft_365_Copilot', activeUnits: 5, consumedUnits: 5 }),
        ],
        subscriptions: [subscriptionSnapshot()],
        readAt: SECOND_READ,
      },
      newId,
    );
    expect(outcome).toEqual({
      outcome: 'recorded',
      changed: true,
      totals: { purchased: 30, assigned: 30, hasUnassignedSeats: false },
      licencesUnreadable: null,
    });
    expect(tenant.changes.licences.updated.map((l) => [l.skuId, l.consumedUnits, l.changedAt])).toEqual([
      [SKU_IDS.businessPremium, 25, SECOND_READ],
    ]);
    expect(tenant.licences.find((l) => l.skuId === SKU_IDS.copilot)?.changedAt).toEqual(FIRST_READ);
  });

  it('notices a changed subscription field: quantity, status, auto-renew or a date', () => {
    for (const change of [
      { quantity: 30 },
      { status: 'suspended' },
      { autoRenewEnabled: false },
      { cancellationAllowedUntilDate: null },
      { friendlyName: 'Renamed' },
    ]) {
      const tenant = tenantAfterFirstRead();
      tenant.record(
        {
          skus: tenant.licences.map((l) =>
            skuSnapshot({ skuId: l.skuId, skuPartNumber: l.skuPartNumber, activeUnits: l.activeUnits, consumedUnits: l.consumedUnits }),
          ),
          subscriptions: [subscriptionSnapshot(change)],
          readAt: SECOND_READ,
        },
        newId,
      );
      expect(tenant.changes.subscriptions.updated).toHaveLength(1);
      expect(tenant.changes.licences.updated).toEqual([]);
    }
  });

  it('removes SKUs and subscriptions Partner Center no longer lists', () => {
    const tenant = tenantAfterFirstRead();
    const outcome = tenant.record({ skus: [skuSnapshot()], subscriptions: [], readAt: SECOND_READ }, newId);
    expect(tenant.changes.licences.removed.map((l) => l.skuId)).toEqual([SKU_IDS.copilot]);
    expect(tenant.changes.subscriptions.removed.map((s) => s.subscriptionId)).toEqual([subscriptionSnapshot().id]);
    expect(tenant.licences.map((l) => l.skuId)).toEqual([SKU_IDS.businessPremium]);
    expect(outcome.totals).toEqual({ purchased: 25, assigned: 20, hasUnassignedSeats: true });
  });

  it('keeps one row per SKU when Partner Center lists a SKU twice (the last entry wins)', () => {
    const tenant = new LicensedTenant(ORG, TENANT, [], [], null);
    tenant.record(
      { skus: [skuSnapshot({ activeUnits: 1 }), skuSnapshot({ activeUnits: 7 })], subscriptions: [], readAt: FIRST_READ },
      newId,
    );
    expect(tenant.licences.map((l) => l.activeUnits)).toEqual([7]);
  });

  it('ignores a read older than the one already recorded, and still reports the current totals', () => {
    const tenant = tenantAfterFirstRead();
    const outcome = tenant.record({ skus: [], subscriptions: [], readAt: new Date('2026-11-25T10:00:00Z') }, newId);
    expect(outcome).toEqual({
      outcome: 'stale',
      changed: false,
      totals: { purchased: 30, assigned: 25, hasUnassignedSeats: true },
      licencesUnreadable: null,
    });
    expect(tenant.changes).toEqual({
      licences: { added: [], updated: [], removed: [] },
      subscriptions: { added: [], updated: [], removed: [] },
      directorySubscriptions: { added: [], updated: [], removed: [] },
      readAt: null,
      directoryRead: { readAt: null, failure: null },
      licencesFailure: null,
    });
  });

  it('moves a subscription the organization had under another tenant to the tenant that lists it now', () => {
    const elsewhere = TenantSubscription.fromSnapshot({
      id: 'sub-row',
      organizationId: ORG,
      tenantId: 'ffffffff-0000-4000-8000-000000000000',
      subscription: subscriptionSnapshot(),
      at: FIRST_READ,
    });
    const tenant = new LicensedTenant(ORG, TENANT, [], [elsewhere], null);
    tenant.record({ skus: [], subscriptions: [subscriptionSnapshot()], readAt: SECOND_READ }, newId);
    expect(tenant.changes.subscriptions.updated).toEqual([elsewhere]);
    expect(tenant.changes.subscriptions.added).toEqual([]);
    expect(elsewhere).toMatchObject({ tenantId: TENANT, changedAt: SECOND_READ });
  });
});

describe('a licence compared with what Partner Center says', () => {
  const licence = () => TenantLicence.fromSnapshot({ id: 'l1', organizationId: ORG, tenantId: TENANT, sku: skuSnapshot(), at: FIRST_READ });

  it('is the same when only the spacing of the names differs', () => {
    expect(licence().sameAs(skuSnapshot({ skuPartNumber: ' SPB ', productName: 'Microsoft 365 Business Premium ' }))).toBe(true);
  });

  it('differs when the capability status, a unit count or the product name changes', () => {
    for (const change of [
      { capabilityStatus: 'Suspended' },
      { activeUnits: 24 },
      { warningUnits: 1 },
      { suspendedUnits: 2 },
      { consumedUnits: 21 },
      { productName: null },
      { skuPartNumber: 'SPB_NEW' },
    ]) {
      expect(licence().sameAs(skuSnapshot(change))).toBe(false);
    }
  });
});

describe("recording the subscriptions in a tenant's directory", () => {
  const partnerCenter = {
    skus: [skuSnapshot(), skuSnapshot({ skuId: SKU_IDS.visioPlan2, skuPartNumber: 'VISIOCLIENT', activeUnits: 5, consumedUnits: 2 })],
    subscriptions: [subscriptionSnapshot()],
  };

  // A tenant as the repository would load it after a first read that could read the directory.
  function tenantWithDirectory() {
    const fresh = new LicensedTenant(ORG, TENANT, [], [], null);
    fresh.record(
      {
        ...partnerCenter,
        directory: { subscriptions: [directorySubscriptionSnapshot(), externalDirectorySubscriptionSnapshot()] },
        readAt: FIRST_READ,
      },
      newId,
    );
    return new LicensedTenant(ORG, TENANT, [...fresh.licences], [...fresh.subscriptions], FIRST_READ, {
      subscriptions: [...fresh.directorySubscriptions],
      ...fresh.directoryRead,
    });
  }

  it('adds every directory subscription of a first read and records when the directory was read', () => {
    const tenant = new LicensedTenant(ORG, TENANT, [], [], null);
    const outcome = tenant.record(
      {
        ...partnerCenter,
        directory: { subscriptions: [directorySubscriptionSnapshot(), externalDirectorySubscriptionSnapshot()] },
        readAt: FIRST_READ,
      },
      newId,
    );

    expect(outcome.changed).toBe(true);
    expect(tenant.changes.directorySubscriptions.added).toHaveLength(2);
    expect(tenant.directorySubscriptions.map((s) => [s.skuPartNumber, s.commerceSubscriptionId, s.totalLicenses])).toEqual([
      ['SPB', subscriptionSnapshot().id, 25],
      ['VISIOCLIENT', externalDirectorySubscriptionSnapshot().commerceSubscriptionId, 5],
    ]);
    expect(tenant.directorySubscriptions[0]).toMatchObject({
      organizationId: ORG,
      tenantId: TENANT,
      nextLifecycleDateTime: new Date('2027-01-15T00:00:00Z'),
      changedAt: FIRST_READ,
    });
    expect(tenant.changes.directoryRead).toEqual({ readAt: FIRST_READ, failure: null });
  });

  it('writes no directory row when Graph says the same again (ids in another case, dates spelled differently)', () => {
    const tenant = tenantWithDirectory();
    const outcome = tenant.record(
      {
        ...partnerCenter,
        directory: {
          subscriptions: [
            directorySubscriptionSnapshot({
              id: directorySubscriptionSnapshot().id.toUpperCase(),
              nextLifecycleDateTime: '2027-01-15T01:00:00+01:00',
            }),
            externalDirectorySubscriptionSnapshot(),
          ],
        },
        readAt: SECOND_READ,
      },
      newId,
    );

    expect(outcome.changed).toBe(false);
    expect(tenant.changes.directorySubscriptions).toEqual({ added: [], updated: [], removed: [] });
    expect(tenant.changes.directoryRead).toEqual({ readAt: SECOND_READ, failure: null });
  });

  it('updates a directory subscription whose licences changed and removes one Graph no longer lists', () => {
    const tenant = tenantWithDirectory();
    tenant.record(
      { ...partnerCenter, directory: { subscriptions: [directorySubscriptionSnapshot({ totalLicenses: 30 })] }, readAt: SECOND_READ },
      newId,
    );

    expect(tenant.changes.directorySubscriptions.updated.map((s) => [s.totalLicenses, s.changedAt])).toEqual([[30, SECOND_READ]]);
    expect(tenant.changes.directorySubscriptions.removed.map((s) => s.skuPartNumber)).toEqual(['VISIOCLIENT']);
    expect(tenant.directorySubscriptions.map((s) => s.skuPartNumber)).toEqual(['SPB']);
  });

  it('keeps the last known directory subscriptions, with the reason, when the directory cannot be read now', () => {
    const tenant = tenantWithDirectory();
    const outcome = tenant.record(
      { ...partnerCenter, directory: { unreadable: 'No active GDAP relationship.' }, readAt: SECOND_READ },
      newId,
    );

    expect(outcome.changed).toBe(false);
    expect(tenant.changes.directorySubscriptions).toEqual({ added: [], updated: [], removed: [] });
    expect(tenant.directorySubscriptions).toHaveLength(2);
    expect(tenant.changes.directoryRead).toEqual({
      readAt: FIRST_READ,
      failure: { reason: 'No active GDAP relationship.', at: SECOND_READ },
    });
  });

  it('clears the reason once the directory can be read again', () => {
    const tenant = tenantWithDirectory();
    tenant.record({ ...partnerCenter, directory: { unreadable: 'No active GDAP relationship.' }, readAt: SECOND_READ }, newId);
    const third = new Date('2026-11-28T10:00:00Z');
    tenant.record({ ...partnerCenter, directory: { subscriptions: [directorySubscriptionSnapshot()] }, readAt: third }, newId);

    expect(tenant.directoryRead).toEqual({ readAt: third, failure: null });
    expect(tenant.directorySubscriptions).toHaveLength(1);
  });

  it('leaves the directory as it is when a read says nothing about it', () => {
    const tenant = tenantWithDirectory();
    tenant.record({ ...partnerCenter, readAt: SECOND_READ }, newId);

    expect(tenant.changes.directorySubscriptions).toEqual({ added: [], updated: [], removed: [] });
    expect(tenant.changes.readAt).toEqual(SECOND_READ);
    expect(tenant.changes.directoryRead).toEqual({ readAt: FIRST_READ, failure: null });
  });

  it('keeps one row per directory subscription when Graph lists one twice (the last entry wins)', () => {
    const tenant = new LicensedTenant(ORG, TENANT, [], [], null);
    tenant.record(
      {
        ...partnerCenter,
        directory: {
          subscriptions: [directorySubscriptionSnapshot({ totalLicenses: 1 }), directorySubscriptionSnapshot({ totalLicenses: 7 })],
        },
        readAt: FIRST_READ,
      },
      newId,
    );

    expect(tenant.directorySubscriptions.map((s) => s.totalLicenses)).toEqual([7]);
  });

  describe('licences Partner Center would not list (no licence-reading GDAP role)', () => {
    it('keeps the last known licences (nothing removed, nothing zeroed), records why, and still records the subscriptions', () => {
      const tenant = tenantAfterFirstRead();
      const outcome = tenant.record(
        {
          skus: [],
          licencesUnreadable: 'GDAP role missing.',
          subscriptions: [subscriptionSnapshot({ quantity: 40 })],
          readAt: SECOND_READ,
        },
        newId,
      );

      expect(outcome).toMatchObject({ outcome: 'recorded', licencesUnreadable: 'GDAP role missing.' });
      expect(tenant.changes.licences).toEqual({ added: [], updated: [], removed: [] });
      expect(tenant.licences).toHaveLength(2);
      expect(tenant.changes.subscriptions.updated).toHaveLength(1);
      expect(tenant.changes.licencesFailure).toEqual({ reason: 'GDAP role missing.', at: SECOND_READ });
    });

    it('clears the reason once a read lists the licences again', () => {
      const tenant = new LicensedTenant(ORG, TENANT, [], [], FIRST_READ, undefined, { reason: 'GDAP role missing.', at: FIRST_READ });
      const outcome = tenant.record({ skus: [skuSnapshot()], subscriptions: [], readAt: SECOND_READ }, newId);

      expect(outcome.licencesUnreadable).toBeNull();
      expect(tenant.changes.licencesFailure).toBeNull();
      expect(tenant.changes.licences.added).toHaveLength(1);
    });
  });

  it("takes the directory's locked-out units onto the licences, and rewrites a licence only when they change", () => {
    const tenant = tenantAfterFirstRead();
    const skus = tenant.licences.map((l) =>
      skuSnapshot({
        skuId: l.skuId,
        skuPartNumber: l.skuPartNumber,
        activeUnits: l.activeUnits,
        consumedUnits: l.consumedUnits,
        productName: l.partnerCenterName,
      }),
    );
    tenant.record(
      {
        skus,
        subscriptions: [subscriptionSnapshot()],
        directory: { subscriptions: [], skuUnits: [{ skuId: SKU_IDS.copilot, lockedOut: 4 }] },
        readAt: SECOND_READ,
      },
      newId,
    );

    expect(tenant.changes.licences.updated.map((l) => [l.skuId, l.lockedOutUnits])).toEqual([[SKU_IDS.copilot, 4]]);
    expect(tenant.licences.find((l) => l.skuId === SKU_IDS.businessPremium)?.lockedOutUnits).toBe(0);
  });
});
