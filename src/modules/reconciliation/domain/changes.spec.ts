import { changesBetween, type LicensingChange } from './changes';
import type { TenantPicture } from './picture';
import { SKUS, skuPicture, subscriptionPicture, TENANTS, tenantPicture } from './testing/pictures';

const brief = (changes: LicensingChange[]) => changes.map((c) => [c.kind, c.before, c.after, c.delta]);

describe('changes between two reconciliation runs', () => {
  it('reports nothing on the first run: it is the baseline', () => {
    expect(changesBetween(null, [tenantPicture()])).toEqual([]);
  });

  it('reports nothing when nothing changed', () => {
    expect(changesBetween([tenantPicture()], [tenantPicture()])).toEqual([]);
  });

  it('reports a new customer tenant once, with what it holds, and not each of its SKUs', () => {
    const fabrikam = tenantPicture({
      tenantId: TENANTS.fabrikam,
      companyName: 'Fabrikam Inc',
      skus: [skuPicture({ purchased: 10 }), skuPicture({ skuId: SKUS.e3, purchased: 5 })],
    });
    const changes = changesBetween([tenantPicture()], [tenantPicture(), fabrikam]);
    expect(changes).toEqual([
      {
        kind: 'tenant.added',
        tenantId: TENANTS.fabrikam,
        skuId: null,
        subscriptionId: null,
        before: null,
        after: 'Fabrikam Inc',
        delta: null,
        summary: 'Fabrikam Inc: new customer tenant with 2 products and 15 seats purchased',
      },
    ]);
  });

  it('reports a tenant that is no longer in the customer list as removed', () => {
    const fabrikam = tenantPicture({ tenantId: TENANTS.fabrikam, companyName: 'Fabrikam Inc' });
    const changes = changesBetween([tenantPicture(), fabrikam], [tenantPicture()]);
    expect(changes).toEqual([
      {
        kind: 'tenant.removed',
        tenantId: TENANTS.fabrikam,
        skuId: null,
        subscriptionId: null,
        before: 'Fabrikam Inc',
        after: null,
        delta: null,
        summary: 'Fabrikam Inc: no longer among your customers',
      },
    ]);
  });

  it('reports nothing at all for a tenant this run could not read, and does not call it removed', () => {
    const unread = tenantPicture({ read: false, failureReason: 'No GDAP relationship', skus: [], subscriptions: [] });
    expect(changesBetween([tenantPicture()], [unread])).toEqual([]);
  });

  it('compares a tenant read again with its last known figures, even when the previous run could not read it', () => {
    const lastKnown = tenantPicture({ read: false, failureReason: 'timeout' });
    const changes = changesBetween([lastKnown], [tenantPicture({ skus: [skuPicture({ assigned: 20 })] })]);
    expect(brief(changes)).toEqual([['sku.assigned-changed', 25, 20, -5]]);
  });

  it('reports SKUs that appear and disappear, with their seats as the delta', () => {
    const previous = tenantPicture({
      skus: [skuPicture(), skuPicture({ skuId: SKUS.visio, productName: 'Visio Plan 2', purchased: 3, assigned: 2 })],
    });
    const current = tenantPicture({
      skus: [skuPicture(), skuPicture({ skuId: SKUS.e3, productName: 'Microsoft 365 E3', purchased: 10, assigned: 8 })],
    });
    const changes = changesBetween([previous], [current]);
    expect(changes.map((c) => [c.kind, c.skuId, c.before, c.after, c.delta, c.summary])).toEqual([
      ['sku.added', SKUS.e3, null, 10, 10, 'Adatum Corporation: Microsoft 365 E3 added (10 seats purchased, 8 assigned)'],
      ['sku.removed', SKUS.visio, 3, null, -3, 'Adatum Corporation: Visio Plan 2 removed (had 3 seats purchased, 2 assigned)'],
    ]);
  });

  it('reports purchased and assigned seats going up or down', () => {
    const changes = changesBetween(
      [tenantPicture({ skus: [skuPicture({ purchased: 50, assigned: 40 })] })],
      [tenantPicture({ skus: [skuPicture({ purchased: 55, assigned: 38 })] })],
    );
    expect(changes.map((c) => c.summary)).toEqual([
      'Adatum Corporation: Microsoft 365 Business Premium purchased seats 50 → 55 (+5)',
      'Adatum Corporation: Microsoft 365 Business Premium assigned seats 40 → 38 (-2)',
    ]);
    expect(brief(changes)).toEqual([
      ['sku.purchased-changed', 50, 55, 5],
      ['sku.assigned-changed', 40, 38, -2],
    ]);
  });

  it('treats a SKU id spelled in upper case as the same SKU', () => {
    const changes = changesBetween(
      [tenantPicture()],
      [tenantPicture({ skus: [skuPicture({ skuId: SKUS.businessPremium.toUpperCase() })] })],
    );
    expect(changes).toEqual([]);
  });

  it('reports a subscription quantity change in one plain sentence', () => {
    const previous = tenantPicture({ subscriptions: [subscriptionPicture({ offerName: 'Microsoft 365 E3', quantity: 50 })] });
    const current = tenantPicture({ subscriptions: [subscriptionPicture({ offerName: 'Microsoft 365 E3', quantity: 55 })] });
    expect(changesBetween([previous], [current])).toEqual([
      {
        kind: 'subscription.quantity-changed',
        tenantId: TENANTS.adatum,
        skuId: SKUS.businessPremium,
        subscriptionId: subscriptionPicture().subscriptionId,
        before: 50,
        after: 55,
        delta: 5,
        summary: 'Adatum Corporation: Microsoft 365 E3 quantity 50 → 55 (+5)',
      },
    ]);
  });

  it('reports a new subscription, and names the term when the tenant has two of the same offer', () => {
    const monthly = subscriptionPicture({ subscriptionId: 'sub-monthly', termDuration: 'P1M', quantity: 3 });
    const changes = changesBetween([tenantPicture()], [tenantPicture({ subscriptions: [subscriptionPicture(), monthly] })]);
    expect(changes.map((c) => [c.kind, c.subscriptionId, c.after, c.delta, c.summary])).toEqual([
      [
        'subscription.added',
        'sub-monthly',
        3,
        3,
        'Adatum Corporation: Microsoft 365 Business Premium (monthly) subscription added with 3 seats',
      ],
    ]);
  });

  it('reports a renewal when the commitment end moves later, with the dates in the organization time zone', () => {
    const previous = tenantPicture({ subscriptions: [subscriptionPicture({ commitmentEndDate: new Date('2026-11-30T23:30:00Z') })] });
    const current = tenantPicture({ subscriptions: [subscriptionPicture({ commitmentEndDate: new Date('2027-11-30T23:30:00Z') })] });
    const [renewed] = changesBetween([previous], [current], { timeZone: 'Europe/Amsterdam' });
    expect(renewed).toMatchObject({
      kind: 'subscription.renewed',
      before: '2026-11-30T23:30:00.000Z',
      after: '2027-11-30T23:30:00.000Z',
      delta: null,
    });
    expect(renewed.summary).toBe(
      'Adatum Corporation: Microsoft 365 Business Premium renewed: its term now ends on 1 December 2027 (was 1 December 2026)',
    );
  });

  it('does not call a commitment end that moved earlier a renewal', () => {
    const previous = tenantPicture({ subscriptions: [subscriptionPicture({ commitmentEndDate: new Date('2027-01-14T00:00:00Z') })] });
    const current = tenantPicture({ subscriptions: [subscriptionPicture({ commitmentEndDate: new Date('2026-12-14T00:00:00Z') })] });
    expect(changesBetween([previous], [current])).toEqual([]);
  });

  it('reports a suspension and a reactivation', () => {
    const active = tenantPicture();
    const suspended = tenantPicture({ subscriptions: [subscriptionPicture({ status: 'suspended' })] });
    expect(brief(changesBetween([active], [suspended]))).toEqual([['subscription.suspended', 'active', 'suspended', null]]);
    expect(brief(changesBetween([suspended], [active]))).toEqual([['subscription.reactivated', 'suspended', 'active', null]]);
    expect(changesBetween([active], [suspended])[0].summary).toBe(
      'Adatum Corporation: Microsoft 365 Business Premium suspended (was active)',
    );
  });

  it('reports a cancellation when the status becomes deleted or expired, and nothing else about that subscription', () => {
    for (const status of ['deleted', 'expired', 'cancelled']) {
      const changes = changesBetween([tenantPicture()], [tenantPicture({ subscriptions: [subscriptionPicture({ status, quantity: 0 })] })]);
      expect(brief(changes)).toEqual([['subscription.cancelled', 'active', status, null]]);
    }
  });

  it('reports a subscription Partner Center stopped listing as cancelled, but not one already cancelled', () => {
    const changes = changesBetween([tenantPicture()], [tenantPicture({ subscriptions: [] })]);
    expect(changes.map((c) => [c.kind, c.subscriptionId, c.before, c.after, c.summary])).toEqual([
      [
        'subscription.cancelled',
        subscriptionPicture().subscriptionId,
        'active',
        null,
        'Adatum Corporation: Microsoft 365 Business Premium is no longer listed by Partner Center (cancelled)',
      ],
    ]);
    const alreadyDeleted = tenantPicture({ subscriptions: [subscriptionPicture({ status: 'deleted' })] });
    expect(changesBetween([alreadyDeleted], [tenantPicture({ subscriptions: [] })])).toEqual([]);
  });

  it('does not report a subscription first seen already cancelled as added', () => {
    const changes = changesBetween(
      [tenantPicture()],
      [tenantPicture({ subscriptions: [subscriptionPicture(), subscriptionPicture({ subscriptionId: 'old', status: 'deleted' })] })],
    );
    expect(changes).toEqual([]);
  });

  it('reports a quantity change and a renewal of the same subscription together', () => {
    const previous = tenantPicture({
      subscriptions: [subscriptionPicture({ quantity: 25, commitmentEndDate: new Date('2026-12-01T00:00:00Z') })],
    });
    const current = tenantPicture({
      subscriptions: [subscriptionPicture({ quantity: 20, commitmentEndDate: new Date('2027-12-01T00:00:00Z') })],
    });
    expect(changesBetween([previous], [current]).map((c) => c.kind)).toEqual(['subscription.quantity-changed', 'subscription.renewed']);
  });

  it('orders changes by tenant name, then kind, then SKU and subscription', () => {
    const previous = [
      tenantPicture({
        tenantId: TENANTS.contoso,
        companyName: 'Contoso',
        subscriptions: [subscriptionPicture({ subscriptionId: 'c-2' }), subscriptionPicture({ subscriptionId: 'c-1' })],
      }),
      tenantPicture({ tenantId: TENANTS.adatum, companyName: 'Adatum Corporation' }),
      tenantPicture({ tenantId: TENANTS.fabrikam, companyName: 'Fabrikam Inc' }),
    ];
    const current = [
      tenantPicture({
        tenantId: TENANTS.contoso,
        companyName: 'Contoso',
        skus: [skuPicture({ assigned: 20 })],
        subscriptions: [
          subscriptionPicture({ subscriptionId: 'c-2', quantity: 30 }),
          subscriptionPicture({ subscriptionId: 'c-1', quantity: 30 }),
        ],
      }),
      tenantPicture({ tenantId: TENANTS.adatum, companyName: 'Adatum Corporation', skus: [skuPicture({ purchased: 30 })] }),
    ];
    expect(changesBetween(previous, current).map((c) => [c.tenantId, c.kind, c.subscriptionId])).toEqual([
      [TENANTS.adatum, 'sku.purchased-changed', null],
      [TENANTS.contoso, 'sku.assigned-changed', null],
      [TENANTS.contoso, 'subscription.quantity-changed', 'c-1'],
      [TENANTS.contoso, 'subscription.quantity-changed', 'c-2'],
      [TENANTS.fabrikam, 'tenant.removed', null],
    ]);
  });

  // The rule behind webhooks.e2e-spec's "delivers licensing.quantity-changed": one seat change in Microsoft is one
  // change, always classified the same way, never a SKU change and a subscription change racing to the receiver.
  describe('a subscription quantity change that moves its SKU’s purchased seats', () => {
    const run = (purchased: number, quantity: number, extra: Partial<Parameters<typeof subscriptionPicture>[0]> = {}) =>
      tenantPicture({
        skus: [skuPicture({ skuId: SKUS.e3, purchased, assigned: 47 })],
        subscriptions: [subscriptionPicture({ skuId: SKUS.e3, offerName: 'Microsoft 365 E3', quantity, ...extra })],
      });

    it('is reported once, as subscription.quantity-changed, not also as sku.purchased-changed', () => {
      const changes = changesBetween([run(50, 50)], [run(55, 55)]);
      expect(brief(changes)).toEqual([['subscription.quantity-changed', 50, 55, 5]]);
      expect(changes[0]).toMatchObject({ skuId: SKUS.e3, subscriptionId: subscriptionPicture().subscriptionId });
    });

    it('is classified the same whatever order the pictures list their SKUs and subscriptions in', () => {
      const other = subscriptionPicture({ subscriptionId: 'b-2', skuId: SKUS.e3, quantity: 10 });
      const before = run(60, 50);
      const after = run(67, 55);
      const shuffled = (t: TenantPicture, extraQuantity: number): TenantPicture => ({
        ...t,
        subscriptions: [{ ...other, quantity: extraQuantity }, ...t.subscriptions].reverse(),
      });
      const forward = changesBetween([shuffled(before, 10)], [shuffled(after, 12)]);
      const backward = changesBetween(
        [{ ...shuffled(before, 10), subscriptions: [...shuffled(before, 10).subscriptions].reverse() }],
        [{ ...shuffled(after, 12), subscriptions: [...shuffled(after, 12).subscriptions].reverse() }],
      );
      expect(forward.map((c) => [c.kind, c.subscriptionId, c.delta])).toEqual([
        ['subscription.quantity-changed', subscriptionPicture().subscriptionId, 5],
        ['subscription.quantity-changed', 'b-2', 2],
      ]);
      expect(backward).toEqual(forward);
    });

    it('still reports the SKU change the subscriptions do not explain (seats bought elsewhere as well)', () => {
      expect(brief(changesBetween([run(50, 50)], [run(58, 55)]))).toEqual([
        ['sku.purchased-changed', 50, 58, 8],
        ['subscription.quantity-changed', 50, 55, 5],
      ]);
    });

    it('still reports the SKU change when the directory has not caught up with Partner Center, or a suspended subscription changed', () => {
      expect(brief(changesBetween([run(50, 50)], [run(50, 55)]))).toEqual([['subscription.quantity-changed', 50, 55, 5]]);
      expect(brief(changesBetween([run(50, 50)], [run(55, 50)]))).toEqual([['sku.purchased-changed', 50, 55, 5]]);
      const suspended = { status: 'suspended' };
      expect(brief(changesBetween([run(50, 50, suspended)], [run(55, 55, suspended)]))).toEqual([
        ['sku.purchased-changed', 50, 55, 5],
        ['subscription.quantity-changed', 50, 55, 5],
      ]);
    });
  });

  describe('licences Partner Center would not list (no licence-reading GDAP role)', () => {
    const unreadable = 'GDAP role missing: no role may read licences.';

    it('reports no SKU as removed or changed while the licences cannot be read, but still reports subscription changes', () => {
      const before = tenantPicture({
        skus: [skuPicture({ purchased: 25, assigned: 20 })],
        subscriptions: [subscriptionPicture({ quantity: 25 })],
      });
      const now = tenantPicture({ skus: [], licencesUnreadable: unreadable, subscriptions: [subscriptionPicture({ quantity: 30 })] });

      expect(brief(changesBetween([before], [now]))).toEqual([['subscription.quantity-changed', 25, 30, 5]]);
    });

    it('reports no SKU as added when the licences can be read again: unknown to known is no change', () => {
      const before = tenantPicture({ skus: [], licencesUnreadable: unreadable });
      const now = tenantPicture({ skus: [skuPicture({ purchased: 25, assigned: 20 })] });

      expect(changesBetween([before], [now])).toEqual([]);
    });

    it('announces a new tenant without claiming it holds no seats', () => {
      const fabrikam = tenantPicture({ tenantId: TENANTS.fabrikam, companyName: 'Fabrikam Inc', skus: [], licencesUnreadable: unreadable });

      expect(changesBetween([tenantPicture()], [tenantPicture(), fabrikam]).map((c) => c.summary)).toEqual([
        'Fabrikam Inc: new customer tenant (licences not readable: GDAP role missing)',
      ]);
    });
  });
});
