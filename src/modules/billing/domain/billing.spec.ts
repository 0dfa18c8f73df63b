import { planApprovals, lineChanges, needsApproval, type ApprovedLine } from './approval';
import { billingProfile, resolveProfile, type BillingProfile } from './billing-profile';
import { invoiceLine, invoiceLines, invoiceTotal, billedQuantity, type BillableLicence } from './invoice-line';
import { formatMoney, lineAmount, money, sum, withMarkup } from './money';
import { nextPeriod, periodOf } from './period';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
const ADATUM = '3f2a6f43-7f6b-4a5c-9a3e-0c1f1b2d3e4f';
const OTHER = '9b1c0d2e-3f40-4a51-8b62-7c83d94ea5f6';

function licence(overrides: Partial<BillableLicence> = {}): BillableLicence {
  return {
    tenantId: ADATUM,
    skuId: E3,
    productName: 'Microsoft 365 E3',
    purchased: 12,
    assigned: 9,
    termDuration: 'P1Y',
    billingCycle: 'monthly',
    unitCost: null,
    soldByYou: true,
    excluded: false,
    ...overrides,
  };
}

function profile(id: string, input: Record<string, unknown> = {}): BillingProfile {
  return billingProfile(id, { skuId: E3, productName: 'M365 E3 (managed)', productCode: 'M365-E3', unitPrice: '36.00', ...input });
}

describe('money', () => {
  it('adds decimals exactly where JS numbers would not', () => {
    expect(sum([money('0.1'), money('0.2')]).toString()).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('rounds a line to the cent, half up, after multiplying the exact unit price', () => {
    expect(lineAmount(money('19.9950'), 3).toFixed(2)).toBe('59.99');
    expect(lineAmount(money('0.005'), 1).toFixed(2)).toBe('0.01');
    expect(lineAmount(money('33.3333'), 3).toFixed(2)).toBe('100.00');
  });

  it('applies cost plus or minus a percentage', () => {
    expect(withMarkup(money('36.00'), money('15')).toFixed(2)).toBe('41.40');
    expect(withMarkup(money('20.00'), money('-10')).toFixed(2)).toBe('18.00');
  });

  it('refuses a fractional JS number as money', () => {
    expect(() => money(0.1)).toThrow(/inexact/);
  });

  it('formats with the currency code and grouping', () => {
    expect(formatMoney(money('1234567.5'), 'EUR')).toBe('EUR 1,234,567.50');
  });
});

describe('quantity rules', () => {
  it('bills purchased seats', () => {
    expect(
      billedQuantity({ quantityRule: 'purchased', includedQuantity: 0, minimumQuantity: 0 }, { purchased: 12, assigned: 9 }).quantity,
    ).toBe(12);
  });

  it('bills assigned seats', () => {
    expect(
      billedQuantity({ quantityRule: 'assigned', includedQuantity: 0, minimumQuantity: 0 }, { purchased: 12, assigned: 9 }).quantity,
    ).toBe(9);
  });

  it('bills the larger of assigned seats and the minimum', () => {
    const rule = { quantityRule: 'assigned-or-minimum' as const, includedQuantity: 0, minimumQuantity: 10 };
    expect(billedQuantity(rule, { purchased: 12, assigned: 9 }).quantity).toBe(10);
    expect(billedQuantity(rule, { purchased: 12, assigned: 11 }).quantity).toBe(11);
  });

  it('takes the included seats off after the minimum, never below zero, and says why', () => {
    const billed = billedQuantity({ quantityRule: 'purchased', includedQuantity: 5, minimumQuantity: 10 }, { purchased: 8, assigned: 8 });
    expect(billed.quantity).toBe(5);
    expect(billed.why).toBe('8 purchased seats, raised to the minimum of 10, less 5 included (purchased seats)');
    expect(
      billedQuantity({ quantityRule: 'assigned', includedQuantity: 5, minimumQuantity: 0 }, { purchased: 3, assigned: 3 }).quantity,
    ).toBe(0);
  });
});

describe('profile resolution', () => {
  const orgDefault = profile('default');
  const annualMonthly = profile('annual-monthly', { termDuration: 'P1Y', billingCycle: 'monthly', unitPrice: '34.00' });
  const monthly = profile('monthly-term', { termDuration: 'P1M', unitPrice: '43.20' });
  const override = profile('adatum', { tenantId: ADATUM, unitPrice: '30.00' });

  it('uses the organization default when nothing more specific matches', () => {
    expect(resolveProfile([orgDefault], { tenantId: ADATUM, skuId: E3, termDuration: null, billingCycle: null })?.id).toBe('default');
  });

  it('prefers the profile of the same term and billing cycle', () => {
    const all = [orgDefault, annualMonthly, monthly];
    expect(resolveProfile(all, { tenantId: OTHER, skuId: E3, termDuration: 'P1Y', billingCycle: 'monthly' })?.id).toBe('annual-monthly');
    expect(resolveProfile(all, { tenantId: OTHER, skuId: E3, termDuration: 'P1M', billingCycle: 'monthly' })?.id).toBe('monthly-term');
    expect(resolveProfile(all, { tenantId: OTHER, skuId: E3, termDuration: 'P3Y', billingCycle: 'annual' })?.id).toBe('default');
  });

  it('lets a customer override win over every default', () => {
    expect(
      resolveProfile([orgDefault, annualMonthly, override], { tenantId: ADATUM, skuId: E3, termDuration: 'P1Y', billingCycle: 'monthly' })
        ?.id,
    ).toBe('adatum');
    expect(resolveProfile([orgDefault, override], { tenantId: OTHER, skuId: E3, termDuration: null, billingCycle: null })?.id).toBe(
      'default',
    );
  });

  it('finds nothing for another SKU', () => {
    expect(resolveProfile([orgDefault], { tenantId: ADATUM, skuId: VISIO, termDuration: null, billingCycle: null })).toBeNull();
  });

  it('refuses a billable fixed price without a price, naming the field', () => {
    expect(() => billingProfile('x', { skuId: E3, productName: 'E3', priceKind: 'fixed' })).toThrow(
      expect.objectContaining({ field: 'unitPrice' }),
    );
    expect(() => billingProfile('x', { skuId: E3, productName: 'E3', unitPrice: '1.23456' })).toThrow(
      expect.objectContaining({ field: 'unitPrice' }),
    );
    expect(() => billingProfile('x', { skuId: E3, productName: 'E3', unitPrice: '1', termDuration: 'yearly' })).toThrow(
      expect.objectContaining({ field: 'termDuration' }),
    );
  });
});

describe('invoice lines', () => {
  it('prices a mapped product and explains the quantity', () => {
    const line = invoiceLine(licence(), profile('p', { quantityRule: 'assigned', includedQuantity: 1 }));
    expect(line).toMatchObject({
      status: 'billable',
      quantity: 8,
      productName: 'M365 E3 (managed)',
      productCode: 'M365-E3',
      profileScope: 'default',
    });
    expect(line.amount?.toFixed(2)).toBe('288.00');
    expect(line.why).toContain('9 assigned seats, less 1 included');
  });

  it('lists an unmapped SKU as not mapped, never as billed at 0', () => {
    const line = invoiceLine(licence({ skuId: VISIO, productName: 'Visio Plan 2' }), null);
    expect(line.status).toBe('not-mapped');
    expect(line.amount).toBeNull();
    expect(invoiceTotal([line])).toEqual(money(0));
  });

  it('shows seats sold by someone else and excluded SKUs apart, without an amount', () => {
    expect(invoiceLine(licence({ soldByYou: false }), profile('p')).status).toBe('not-sold-by-you');
    expect(invoiceLine(licence({ excluded: true }), profile('p')).status).toBe('excluded');
  });

  it('bills nothing for non-billable and no-charge products', () => {
    const line = invoiceLine(licence(), profile('p', { charge: 'no-charge', unitPrice: '' }));
    expect(line).toMatchObject({ status: 'no-charge', quantity: 12 });
    expect(line.amount?.toFixed(2)).toBe('0.00');
  });

  it('prices cost-plus from the cost Partner Center gives, else the profile cost, else asks for it', () => {
    const costPlus = profile('p', { priceKind: 'cost-plus', markupPercent: '10', unitPrice: '' });
    expect(invoiceLine(licence({ unitCost: money('30') }), costPlus).amount?.toFixed(2)).toBe('396.00');
    expect(invoiceLine(licence(), costPlus).status).toBe('no-price');
    const withOwnCost = profile('p', { priceKind: 'cost-plus', markupPercent: '-5', unitCost: '20.00' });
    expect(invoiceLine(licence(), withOwnCost).unitPrice?.toFixed(2)).toBe('19.00');
  });

  it('totals only billable lines across tenants', () => {
    const lines = invoiceLines([licence(), licence({ tenantId: OTHER, purchased: 3 }), licence({ skuId: VISIO })], [profile('p')]);
    expect(invoiceTotal(lines).toFixed(2)).toBe('540.00');
  });
});

describe('approval', () => {
  const settings = { autoApproveIncreases: true, approvalThreshold: money('0') };
  const approved: ApprovedLine = {
    tenantId: ADATUM,
    lineKey: E3,
    skuId: E3,
    productName: 'M365 E3 (managed)',
    quantity: 12,
    unitPrice: money('36'),
    amount: money('432'),
  };

  it('finds increases, decreases, new and removed lines against the approved invoice', () => {
    const down = invoiceLines([licence({ purchased: 10 })], [profile('p')]);
    expect(lineChanges(ADATUM, down, [approved])).toEqual([expect.objectContaining({ kind: 'decrease', delta: money('-72') })]);
    const up = invoiceLines([licence({ purchased: 13 })], [profile('p')]);
    expect(lineChanges(ADATUM, up, [approved])[0].kind).toBe('increase');
    expect(lineChanges(ADATUM, up, [])[0].kind).toBe('new');
    expect(lineChanges(ADATUM, [], [approved])[0].kind).toBe('removed');
    expect(lineChanges(ADATUM, invoiceLines([licence()], [profile('p')]), [approved])).toEqual([]);
  });

  it('keeps the approved line while the product is not mapped (no change proposed)', () => {
    expect(lineChanges(ADATUM, invoiceLines([licence()], []), [approved])).toEqual([]);
  });

  it('applies increases automatically when the setting says so, and queues decreases', () => {
    expect(needsApproval({ kind: 'increase', delta: money('36') }, settings)).toBe(false);
    expect(needsApproval({ kind: 'increase', delta: money('36') }, { ...settings, autoApproveIncreases: false })).toBe(true);
    expect(needsApproval({ kind: 'decrease', delta: money('-36') }, settings)).toBe(true);
    expect(needsApproval({ kind: 'new', delta: money('36') }, settings)).toBe(true);
  });

  it('lets changes within the threshold apply without a person', () => {
    const withThreshold = { ...settings, approvalThreshold: money('50') };
    expect(needsApproval({ kind: 'decrease', delta: money('-36') }, withThreshold)).toBe(false);
    expect(needsApproval({ kind: 'new', delta: money('50.01') }, withThreshold)).toBe(true);
  });

  it('does not ask again for a change already waiting or refused, and withdraws one that no longer stands', () => {
    const changes = lineChanges(ADATUM, invoiceLines([licence({ purchased: 10 })], [profile('p')]), [approved]);
    const pending = { ...changes[0], id: 'a1', createdAt: new Date() };
    expect(planApprovals({ changes, pending: [pending], rejected: [], settings })).toEqual({ apply: [], queue: [], withdraw: [] });
    expect(
      planApprovals({ changes, pending: [], rejected: [{ tenantId: ADATUM, lineKey: E3, after: changes[0].after }], settings }).queue,
    ).toEqual([]);
    expect(planApprovals({ changes: [], pending: [pending], rejected: [], settings }).withdraw).toEqual(['a1']);
    const moved = lineChanges(ADATUM, invoiceLines([licence({ purchased: 9 })], [profile('p')]), [approved]);
    expect(planApprovals({ changes: moved, pending: [pending], rejected: [], settings }).queue).toEqual([
      expect.objectContaining({ id: 'a1', kind: 'decrease' }),
    ]);
  });
});

describe('periods', () => {
  it('is the month in the organization time zone', () => {
    expect(periodOf(new Date('2026-11-30T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12');
    expect(periodOf(new Date('2026-11-30T23:30:00Z'), 'UTC')).toBe('2026-11');
    expect(nextPeriod('2026-12')).toBe('2027-01');
  });
});
