import { discrepancyKey, findDiscrepancies, type Discrepancy } from './discrepancies';
import { newExclusion, type Exclusion } from './exclusions';
import type { TenantPicture } from './picture';
import { SKUS, skuPicture, subscriptionPicture, TENANTS, tenantPicture } from './testing/pictures';

const NOW = new Date('2026-11-27T10:00:00Z');
const SUB = subscriptionPicture().subscriptionId;

const open = (tenants: TenantPicture[], now = NOW, exclusions: Exclusion[] = [], timeZone?: string) =>
  findDiscrepancies(tenants, now, exclusions, { timeZone }).open;
const kinds = (found: Discrepancy[]) => found.map((d) => d.kind);
const only = (found: Discrepancy[]) => {
  expect(found).toHaveLength(1);
  return found[0];
};

// A tenant whose one SKU has unused seats, sold through the given subscriptions.
const withUnused = (unused: number, ...subscriptions: ReturnType<typeof subscriptionPicture>[]) =>
  tenantPicture({ skus: [skuPicture({ purchased: 25, assigned: 25 - unused })], subscriptions });

describe('discrepancies of a reconciliation run', () => {
  it('finds nothing when every seat is paid for, assigned and in step with Partner Center', () => {
    expect(findDiscrepancies([tenantPicture()], NOW, [])).toEqual({ open: [], silenced: [] });
  });

  describe('over-assigned', () => {
    it('says how many users hold a licence nobody pays for, and what to do', () => {
      const found = only(
        open([
          tenantPicture({
            skus: [skuPicture({ purchased: 12, assigned: 15 })],
            subscriptions: [subscriptionPicture({ quantity: 12, tenantUnits: 12 })],
          }),
        ]),
      );
      expect(found).toEqual({
        key: `over-assigned|${TENANTS.adatum}|${SKUS.businessPremium}|`,
        kind: 'over-assigned',
        tenantId: TENANTS.adatum,
        skuId: SKUS.businessPremium,
        subscriptionId: null,
        severity: 'high',
        title: 'Microsoft 365 Business Premium: 3 users without a paid seat',
        explanation: '15 users hold a Microsoft 365 Business Premium licence but only 12 are paid for.',
        action: 'Buy 3 more seats or remove the licence from 3 users.',
        actBy: null,
        figures: { purchased: 12, assigned: 15, overAssigned: 3 },
      });
    });

    it('speaks of one user and of none paid for in plain English', () => {
      const found = only(
        open([
          tenantPicture({
            skus: [skuPicture({ skuId: SKUS.e3, productName: 'Office 365 E3', purchased: 0, assigned: 1 })],
            subscriptions: [],
          }),
        ]),
      );
      expect(found.explanation).toBe('1 user holds an Office 365 E3 licence but none are paid for.');
      expect(found.action).toBe('Buy 1 more seat or remove the licence from 1 user.');
    });

    it('raises nothing on a free SKU, however its seats are counted', () => {
      const free = skuPicture({
        skuId: SKUS.exploratory,
        productName: 'Microsoft Teams Exploratory',
        free: true,
        soldByYou: false,
        purchased: 100,
        assigned: 120,
      });
      expect(open([tenantPicture({ skus: [free], subscriptions: [] })])).toEqual([]);
    });
  });

  describe('unassigned seats, new-commerce windows (FACTS §7a.4)', () => {
    // A monthly term that started on 22 Nov: its seats can be reduced until 29 Nov, then only at its renewal.
    const monthlyInWindow = (overrides: Parameters<typeof subscriptionPicture>[0] = {}) =>
      subscriptionPicture({
        termDuration: 'P1M',
        cancellationAllowedUntilDate: new Date('2026-11-29T00:00:00Z'),
        commitmentEndDate: new Date('2026-12-21T00:00:00Z'),
        ...overrides,
      });

    it('says a monthly subscription inside its 7-day window can be reduced by the day the window closes', () => {
      const found = only(open([withUnused(3, monthlyInWindow())]));
      expect(found).toMatchObject({
        key: `unassigned-seats|${TENANTS.adatum}|${SKUS.businessPremium}|`,
        kind: 'unassigned-seats',
        subscriptionId: null,
        severity: 'medium',
        actBy: new Date('2026-11-29T00:00:00Z'),
        title: 'Microsoft 365 Business Premium: 3 unused seats',
        explanation: '25 seats of Microsoft 365 Business Premium are paid for but only 22 are assigned, so 3 are unused.',
        action:
          'In Partner Center, reduce Microsoft 365 Business Premium (monthly) by 3 seats by 29 November 2026, while its 7-day window is open; or assign the seats to users who need them.',
        figures: { purchased: 25, assigned: 22, unassigned: 3, spare: 0, counted: 3, reducible: 3, atRenewal: 0 },
      });
    });

    it('gives a monthly subscription outside its window no exemption: the seats go at renewal, through a scheduled change', () => {
      const found = only(open([withUnused(3, monthlyInWindow({ cancellationAllowedUntilDate: new Date('2026-11-22T00:00:00Z') }))]));
      expect(found).toMatchObject({ severity: 'low', actBy: new Date('2026-12-21T00:00:00Z'), figures: { reducible: 0, atRenewal: 3 } });
      expect(found.explanation).toContain(
        'They can be given back only at renewal: seats can be reduced only within 7 days of being bought, renewed or added',
      );
      expect(found.action).toBe(
        'In Partner Center, schedule Microsoft 365 Business Premium (monthly) to renew with 3 seats fewer on 22 December 2026 (a scheduled change at renewal); or assign the seats to users who need them.',
      );
    });

    it('says an annual subscription inside its cancellation window must be reduced by the date the window closes', () => {
      const window = new Date('2026-12-02T10:00:00Z');
      const found = only(
        open([
          withUnused(4, subscriptionPicture({ cancellationAllowedUntilDate: window, commitmentEndDate: new Date('2027-11-25T00:00:00Z') })),
        ]),
      );
      expect(found).toMatchObject({ severity: 'medium', actBy: window, figures: { unassigned: 4, reducible: 4, atRenewal: 0 } });
      expect(found.action).toBe(
        'In Partner Center, reduce Microsoft 365 Business Premium (annual) by 4 seats by 2 December 2026, while its 7-day window is open; or assign the seats to users who need them.',
      );
    });

    it('advises a change at renewal on an annual auto-renewing subscription outside its cancellation window', () => {
      const found = only(open([withUnused(4, subscriptionPicture({ cancellationAllowedUntilDate: new Date('2026-01-22T00:00:00Z') }))]));
      expect(found).toMatchObject({ severity: 'low', actBy: new Date('2027-01-14T00:00:00Z'), figures: { reducible: 0, atRenewal: 4 } });
      expect(found.action).toContain('schedule Microsoft 365 Business Premium (annual) to renew with 4 seats fewer on 15 January 2027');
    });

    it('moves the same annual subscription from "reduce now" to "at renewal" the day after its window closes', () => {
      const tenant = withUnused(4, subscriptionPicture({ cancellationAllowedUntilDate: new Date('2026-12-02T10:00:00Z') }));
      expect(only(open([tenant], new Date('2026-12-02T10:00:00Z'))).figures).toMatchObject({ reducible: 4, atRenewal: 0 });
      expect(only(open([tenant], new Date('2026-12-03T10:00:00Z'))).figures).toMatchObject({ reducible: 0, atRenewal: 4 });
    });

    it('follows Partner Center’s refundableQuantity when it is known: seats added mid-term have their own 7-day window', () => {
      const added = new Date('2026-11-30T09:00:00Z');
      const found = only(open([withUnused(6, subscriptionPicture({ refundableQuantity: 2, refundableUntil: added }))]));
      expect(found.figures).toMatchObject({ unassigned: 6, reducible: 2, atRenewal: 4 });
      expect(found.actBy).toEqual(added);
      expect(found.explanation).toContain('2 can be given back now; 4 only at renewal');
    });

    it('does not advise again what a change already scheduled in Partner Center gives back at renewal', () => {
      expect(open([withUnused(4, subscriptionPicture({ scheduledQuantity: 21 }))])).toEqual([]);
      const part = only(open([withUnused(4, subscriptionPicture({ scheduledQuantity: 23 }))]));
      expect(part.figures).toMatchObject({ reducible: 0, atRenewal: 2 });
      expect(part.action).toContain('to renew with 2 seats fewer on 15 January 2027');
    });

    it('never advises reducing now a subscription with a change scheduled for renewal: the immediate change would delete it', () => {
      const inWindow = subscriptionPicture({
        refundableQuantity: 25,
        refundableUntil: new Date('2026-12-05T00:00:00Z'),
        scheduledQuantity: 23,
      });
      const found = only(open([withUnused(4, inWindow)]));
      expect(found.figures).toMatchObject({ reducible: 0, atRenewal: 2 });
      expect(found.action).not.toMatch(/reduce .* now/i);
    });

    it('stays quiet on a subscription outside its window that will not renew: the seats end with the term', () => {
      const ending = subscriptionPicture({ autoRenewEnabled: false, commitmentEndDate: new Date('2027-06-01T00:00:00Z') });
      expect(open([withUnused(4, ending)])).toEqual([]);
    });

    it('stays quiet when a subscription sends neither a cancellation window nor a term end', () => {
      expect(open([withUnused(4, subscriptionPicture({ cancellationAllowedUntilDate: null, commitmentEndDate: null }))])).toEqual([]);
    });

    it('gives back seats on a closing window first, then at the nearest renewal', () => {
      const window = new Date('2026-11-30T12:00:00Z');
      const monthly = subscriptionPicture({
        subscriptionId: 'monthly',
        offerName: 'Business Premium',
        termDuration: 'P1M',
        quantity: 5,
        tenantUnits: null,
        commitmentEndDate: new Date('2026-12-21T00:00:00Z'),
      });
      const annual = subscriptionPicture({
        subscriptionId: 'annual',
        offerName: 'Business Premium',
        quantity: 2,
        tenantUnits: null,
        cancellationAllowedUntilDate: window,
      });
      const found = only(open([withUnused(6, monthly, annual)]));
      expect(found.actBy).toEqual(window);
      expect(found.action).toBe(
        'In Partner Center, reduce Business Premium (annual) by 2 seats by 30 November 2026, while its 7-day window is open, and schedule Business Premium (monthly) to renew with 4 seats fewer on 22 December 2026 (a scheduled change at renewal); or assign the seats to users who need them.',
      );
      expect(found.figures).toMatchObject({ reducible: 2, atRenewal: 4 });
    });

    it('says the window date on the organization wall clock', () => {
      const window = new Date('2026-11-30T23:30:00Z');
      const found = only(open([withUnused(1, subscriptionPicture({ cancellationAllowedUntilDate: window }))], NOW, [], 'Europe/Amsterdam'));
      expect(found.action).toContain('by 1 seat by 1 December 2026');
      expect(found.action).toContain('or assign the seat to users who need it.');
    });

    it('never raises unused seats of a trial, a suspended subscription or a free SKU', () => {
      expect(open([withUnused(5, subscriptionPicture({ termDuration: 'P1M', isTrial: true, autoRenewEnabled: true }))])).toEqual([]);
      expect(kinds(open([withUnused(5, subscriptionPicture({ termDuration: 'P1M', status: 'suspended' }))]))).toEqual([
        'subscription-suspended',
      ]);
      const free = tenantPicture({
        skus: [skuPicture({ free: true, purchased: 25, assigned: 1 })],
        subscriptions: [subscriptionPicture({ termDuration: 'P1M' })],
      });
      expect(open([free])).toEqual([]);
    });

    it('counts the SKU of a subscription whatever the case of its id', () => {
      expect(kinds(open([withUnused(2, subscriptionPicture({ skuId: SKUS.businessPremium.toUpperCase(), termDuration: 'P1M' }))]))).toEqual(
        ['unassigned-seats'],
      );
    });

    it('still raises unused seats when the tenant side could not say who sold the SKU but your subscription is there', () => {
      const tenant = tenantPicture({
        skus: [skuPicture({ soldByYou: null, assigned: 20 })],
        subscriptions: [subscriptionPicture({ termDuration: 'P1M' })],
      });
      expect(kinds(open([tenant]))).toEqual(['unassigned-seats']);
    });
  });

  describe('quantity mismatch', () => {
    it('flags an active subscription whose Partner Center quantity differs from the tenant prepaid units', () => {
      const found = only(open([tenantPicture({ subscriptions: [subscriptionPicture({ quantity: 25, tenantUnits: 20 })] })]));
      expect(found).toMatchObject({
        key: `quantity-mismatch|${TENANTS.adatum}|${SKUS.businessPremium}|${SUB}`,
        subscriptionId: SUB,
        severity: 'medium',
        explanation:
          "Partner Center bills 25 seats of Microsoft 365 Business Premium (annual), but the customer's tenant shows 20 prepaid.",
        figures: { quantity: 25, tenantUnits: 20, difference: 5 },
      });
    });

    it('says nothing when the tenant units are unknown or the subscription is not active', () => {
      expect(open([tenantPicture({ subscriptions: [subscriptionPicture({ tenantUnits: null, quantity: 30 })] })])).toEqual([]);
      expect(open([tenantPicture({ subscriptions: [subscriptionPicture({ status: 'deleted', tenantUnits: 0 })] })])).toEqual([]);
    });
  });

  describe('not sold by you', () => {
    it('flags a paid SKU the tenant holds without a subscription of yours', () => {
      const visio = skuPicture({ skuId: SKUS.visio, productName: 'Visio Plan 2', soldByYou: false, purchased: 5, assigned: 2 });
      const found = only(open([tenantPicture({ skus: [skuPicture(), visio] })]));
      expect(found).toMatchObject({
        kind: 'not-sold-by-you',
        skuId: SKUS.visio,
        severity: 'low',
        explanation:
          'Adatum Corporation has 5 seats of Visio Plan 2 that were not bought through your Partner Center account (but directly from Microsoft or through another partner).',
      });
    });

    it('does not raise unused seats on a SKU you do not sell, nor anything for one without paid seats', () => {
      const lapsed = skuPicture({ skuId: SKUS.visio, soldByYou: false, purchased: 0, assigned: 0 });
      const unused = skuPicture({ skuId: SKUS.e3, productName: 'Microsoft 365 E3', soldByYou: false, purchased: 10, assigned: 2 });
      expect(
        kinds(
          open([
            tenantPicture({
              skus: [lapsed, unused],
              subscriptions: [subscriptionPicture({ skuId: SKUS.e3, termDuration: 'P1M', quantity: 10, tenantUnits: 10 })],
            }),
          ]),
        ),
      ).toEqual(['not-sold-by-you']);
    });
  });

  describe('subscriptions suspended or ending', () => {
    it('flags a suspended subscription as urgent', () => {
      const found = only(open([tenantPicture({ subscriptions: [subscriptionPicture({ status: 'suspended' })] })]));
      expect(found).toMatchObject({
        kind: 'subscription-suspended',
        subscriptionId: SUB,
        severity: 'high',
        title: 'Microsoft 365 Business Premium (annual) is suspended',
        figures: { quantity: 25 },
      });
    });

    it('flags an active subscription that ends within 30 days without auto-renew, and says the date', () => {
      const end = new Date('2026-12-20T00:00:00Z');
      const found = only(
        open([tenantPicture({ subscriptions: [subscriptionPicture({ autoRenewEnabled: false, commitmentEndDate: end })] })]),
      );
      expect(found).toMatchObject({
        key: `subscription-ending|${TENANTS.adatum}|${SKUS.businessPremium}|${SUB}`,
        severity: 'medium',
        actBy: end,
        title: 'Microsoft 365 Business Premium (annual) ends on 20 December 2026',
        explanation:
          'Microsoft 365 Business Premium (annual) with 25 seats ends on 20 December 2026 and will not renew: auto-renew is off.',
        action:
          'If the customer still needs them, turn on auto-renew in Partner Center before 20 December 2026; otherwise move the users to another licence before then.',
        figures: { quantity: 25, daysLeft: 23 },
      });
    });

    it('makes an ending a week away urgent, and says a trial will not turn into a paid subscription', () => {
      const found = only(
        open([
          tenantPicture({
            subscriptions: [
              subscriptionPicture({
                autoRenewEnabled: false,
                isTrial: true,
                quantity: 1,
                tenantUnits: 1,
                commitmentEndDate: new Date('2026-12-01T00:00:00Z'),
              }),
            ],
          }),
        ]),
      );
      expect(found.severity).toBe('high');
      expect(found.explanation).toBe(
        'Microsoft 365 Business Premium (annual) is a trial with 1 seat; it ends on 1 December 2026 and will not turn into a paid subscription: auto-renew is off.',
      );
    });

    it('stays quiet on a subscription that renews, or ends more than 30 days from now', () => {
      expect(
        open([
          tenantPicture({
            subscriptions: [subscriptionPicture({ autoRenewEnabled: true, commitmentEndDate: new Date('2026-12-01T00:00:00Z') })],
          }),
        ]),
      ).toEqual([]);
      expect(
        open([
          tenantPicture({
            subscriptions: [subscriptionPicture({ autoRenewEnabled: false, commitmentEndDate: new Date('2026-12-27T10:00:01Z') })],
          }),
        ]),
      ).toEqual([]);
      expect(
        kinds(
          open([
            tenantPicture({
              subscriptions: [subscriptionPicture({ autoRenewEnabled: false, commitmentEndDate: new Date('2026-12-27T10:00:00Z') })],
            }),
          ]),
        ),
      ).toEqual(['subscription-ending']);
    });
  });

  describe('tenants this run could not read', () => {
    const unread = tenantPicture({
      read: false,
      failureReason: 'Microsoft refused a token for this customer (AADSTS50020).',
      skus: [skuPicture({ purchased: 12, assigned: 15 })],
      subscriptions: [subscriptionPicture({ status: 'suspended' })],
    });

    it('reports only that the tenant could not be read, with the reason, and no stale discrepancies', () => {
      expect(open([unread])).toEqual([
        {
          key: `tenant-unreadable|${TENANTS.adatum}||`,
          kind: 'tenant-unreadable',
          tenantId: TENANTS.adatum,
          skuId: null,
          subscriptionId: null,
          severity: 'high',
          title: 'Could not read Adatum Corporation',
          explanation:
            'Sync 365 could not read the licences of Adatum Corporation in this run: Microsoft refused a token for this customer (AADSTS50020). The figures shown are from the last successful read.',
          action:
            "Fix the cause (often a GDAP relationship that expired or lacks a role) and run the reconciliation again; until then, check this tenant's figures before billing from them.",
          actBy: null,
          figures: {},
        },
      ]);
    });

    it('is never silenced by an exclusion', () => {
      const ignoreTenant = newExclusion({ id: 'x1', tenantId: TENANTS.adatum, rule: 'ignore', reason: 'Internal test tenant' });
      expect(findDiscrepancies([unread], NOW, [ignoreTenant])).toEqual({
        open: [expect.objectContaining({ kind: 'tenant-unreadable' })],
        silenced: [],
      });
    });
  });

  describe('exclusions', () => {
    const troubled = () =>
      tenantPicture({
        skus: [
          skuPicture({ purchased: 12, assigned: 15 }),
          skuPicture({ skuId: SKUS.visio, productName: 'Visio Plan 2', soldByYou: false, purchased: 5, assigned: 5 }),
        ],
        subscriptions: [subscriptionPicture({ quantity: 12, tenantUnits: 10 })],
      });

    it('silences every discrepancy of a tenant with an ignore exclusion, and says which exclusion did', () => {
      const exclusion = newExclusion({ id: 'x1', tenantId: TENANTS.adatum, rule: 'ignore', reason: 'Our own tenant' });
      const found = findDiscrepancies(
        [
          troubled(),
          tenantPicture({ tenantId: TENANTS.fabrikam, companyName: 'Fabrikam', skus: [skuPicture({ purchased: 1, assigned: 2 })] }),
        ],
        NOW,
        [exclusion],
      );
      expect(found.open.map((d) => [d.tenantId, d.kind])).toEqual([[TENANTS.fabrikam, 'over-assigned']]);
      expect(found.silenced.map((s) => [s.discrepancy.kind, s.exclusionId])).toEqual([
        ['over-assigned', 'x1'],
        ['quantity-mismatch', 'x1'],
        ['not-sold-by-you', 'x1'],
      ]);
    });

    it('silences only the SKU an exclusion names, including its subscriptions, at every tenant when no tenant is named', () => {
      const exclusion = newExclusion({ id: 'x2', skuId: SKUS.businessPremium.toUpperCase(), rule: 'ignore', reason: 'Billed separately' });
      const found = findDiscrepancies([troubled()], NOW, [exclusion]);
      expect(kinds(found.open)).toEqual(['not-sold-by-you']);
      expect(found.silenced.map((s) => s.discrepancy.kind)).toEqual(['over-assigned', 'quantity-mismatch']);
    });

    it('does not let an exclusion for another tenant silence anything here', () => {
      const exclusion = newExclusion({ id: 'x3', tenantId: TENANTS.fabrikam, rule: 'ignore', reason: 'Other customer' });
      expect(findDiscrepancies([troubled()], NOW, [exclusion]).silenced).toEqual([]);
    });

    it('keeps spare seats: unused seats up to the spare are silent, and counted as silenced', () => {
      // Inside its 7-day window: the seats can be reduced now.
      const monthly = subscriptionPicture({ termDuration: 'P1M', cancellationAllowedUntilDate: new Date('2026-11-29T00:00:00Z') });
      const keep = newExclusion({
        id: 'spare',
        tenantId: TENANTS.adatum,
        skuId: SKUS.businessPremium,
        rule: 'keep-spare',
        spare: 2,
        reason: 'new starters',
      });
      const found = findDiscrepancies([withUnused(2, monthly)], NOW, [keep]);
      expect(found.open).toEqual([]);
      expect(found.silenced).toEqual([
        {
          discrepancy: expect.objectContaining({
            kind: 'unassigned-seats',
            figures: expect.objectContaining({ unassigned: 2, reducible: 2 }),
          }),
          exclusionId: 'spare',
        },
      ]);
    });

    it('keeps spare seats: above the spare, only the seats beyond it are to be reduced', () => {
      // Inside its 7-day window: the seats can be reduced now.
      const monthly = subscriptionPicture({ termDuration: 'P1M', cancellationAllowedUntilDate: new Date('2026-11-29T00:00:00Z') });
      const keep = newExclusion({ id: 'spare', tenantId: TENANTS.adatum, rule: 'keep-spare', spare: 2, reason: 'new starters' });
      const found = only(open([withUnused(5, monthly)], NOW, [keep]));
      expect(found.figures).toEqual({ purchased: 25, assigned: 20, unassigned: 5, spare: 2, counted: 3, reducible: 3, atRenewal: 0 });
      expect(found.explanation).toBe(
        '25 seats of Microsoft 365 Business Premium are paid for but only 20 are assigned, so 5 are unused. You keep 2 seats spare (new starters), so 3 count.',
      );
      expect(found.action).toContain('by 3 seats');
    });

    it('lets the most specific keep-spare exclusion decide', () => {
      const everywhere = newExclusion({
        id: 'all-bp',
        skuId: SKUS.businessPremium,
        rule: 'keep-spare',
        spare: 5,
        reason: 'standard buffer',
      });
      const here = newExclusion({
        id: 'adatum-bp',
        tenantId: TENANTS.adatum,
        skuId: SKUS.businessPremium,
        rule: 'keep-spare',
        spare: 1,
        reason: 'small office',
      });
      const found = only(open([withUnused(4, subscriptionPicture({ termDuration: 'P1M' }))], NOW, [everywhere, here]));
      expect(found.figures).toMatchObject({ spare: 1, counted: 3 });
    });

    it('does not let keep-spare silence anything but unused seats', () => {
      const keep = newExclusion({ id: 'spare', tenantId: TENANTS.adatum, rule: 'keep-spare', spare: 10, reason: 'buffer' });
      expect(kinds(open([troubled()], NOW, [keep]))).toEqual(['over-assigned', 'quantity-mismatch', 'not-sold-by-you']);
    });

    it('shows unused seats silenced by ignore without any spare taken off', () => {
      const keep = newExclusion({ id: 'spare', tenantId: TENANTS.adatum, rule: 'keep-spare', spare: 1, reason: 'buffer' });
      const ignore = newExclusion({
        id: 'ignore',
        tenantId: TENANTS.adatum,
        skuId: SKUS.businessPremium,
        rule: 'ignore',
        reason: 'customer pays for spares',
      });
      const found = findDiscrepancies([withUnused(4, subscriptionPicture({ termDuration: 'P1M' }))], NOW, [keep, ignore]);
      expect(found.open).toEqual([]);
      expect(found.silenced.map((s) => [s.exclusionId, s.discrepancy.figures.counted])).toEqual([['ignore', 4]]);
    });
  });

  describe('keys and order', () => {
    it('keeps the key of a problem across runs while its figures change', () => {
      const first = only(open([tenantPicture({ skus: [skuPicture({ purchased: 12, assigned: 15 })], subscriptions: [] })]));
      const second = only(
        open([tenantPicture({ skus: [skuPicture({ purchased: 12, assigned: 19 })], subscriptions: [] })], new Date('2026-11-28T10:00:00Z')),
      );
      expect(second.key).toBe(first.key);
      expect(discrepancyKey('over-assigned', TENANTS.adatum, SKUS.businessPremium.toUpperCase(), null)).toBe(first.key);
    });

    it('orders by tenant name, then kind, then SKU and subscription', () => {
      const contoso = tenantPicture({ tenantId: TENANTS.contoso, companyName: 'contoso', read: false, failureReason: null });
      const adatum = tenantPicture({
        skus: [
          skuPicture({ skuId: SKUS.visio, productName: 'Visio', purchased: 1, assigned: 2 }),
          skuPicture({ skuId: SKUS.e3, productName: 'E3', purchased: 1, assigned: 3 }),
        ],
        subscriptions: [
          subscriptionPicture({ subscriptionId: 's2', status: 'suspended' }),
          subscriptionPicture({ subscriptionId: 's1', status: 'suspended' }),
        ],
      });
      expect(open([contoso, adatum]).map((d) => [d.tenantId, d.kind, d.skuId, d.subscriptionId])).toEqual([
        [TENANTS.adatum, 'over-assigned', SKUS.e3, null],
        [TENANTS.adatum, 'over-assigned', SKUS.visio, null],
        [TENANTS.adatum, 'subscription-suspended', SKUS.businessPremium, 's1'],
        [TENANTS.adatum, 'subscription-suspended', SKUS.businessPremium, 's2'],
        [TENANTS.contoso, 'tenant-unreadable', null, null],
      ]);
    });
  });

  describe('licences Partner Center would not list (no licence-reading GDAP role)', () => {
    it('says the licences are not readable, finds no seat problem in unknown figures, and still checks the subscriptions', () => {
      const tenant = tenantPicture({
        skus: [],
        licencesUnreadable: 'GDAP role missing: no role may read licences.',
        subscriptions: [subscriptionPicture({ status: 'suspended' })],
      });

      const found = open([tenant]);

      expect(kinds(found).sort()).toEqual(['licences-unreadable', 'subscription-suspended']);
      const notice = found.find((d) => d.kind === 'licences-unreadable')!;
      expect(notice.title).toMatch(/licences not readable \(GDAP role missing\)/);
      expect(notice.action).toMatch(/Directory Readers, Global Reader, User Administrator or License Administrator/);
      expect(found.some((d) => d.kind === 'over-assigned' || d.kind === 'unassigned-seats' || d.kind === 'not-sold-by-you')).toBe(false);
    });

    it('is not silenced by an exclusion for the tenant', () => {
      const tenant = tenantPicture({ skus: [], licencesUnreadable: 'GDAP role missing.' });
      const exclusion = newExclusion({ id: 'x-1', tenantId: tenant.tenantId, rule: 'ignore', reason: 'Known' });

      expect(kinds(open([tenant], NOW, [exclusion]))).toEqual(['licences-unreadable']);
    });
  });
});
