import { isMonthlyTerm, partnerCenterQuantity, subscriptionState, termLabel } from './picture';
import { subscriptionPicture } from './testing/pictures';

describe('what a Partner Center subscription means for its seats', () => {
  it('groups statuses into active, suspended, ended and other, whatever their case', () => {
    expect(
      ['active', 'Active', 'suspended', 'disabled', 'deleted', 'expired', 'cancelled', 'pending', 'none'].map(subscriptionState),
    ).toEqual(['active', 'active', 'suspended', 'suspended', 'ended', 'ended', 'ended', 'other', 'other']);
  });

  it('lets the term decide whether seats can be given back at any time, and the billing cycle only without a term', () => {
    expect(isMonthlyTerm({ termDuration: 'P1M', billingCycle: 'monthly' })).toBe(true);
    expect(isMonthlyTerm({ termDuration: 'P1Y', billingCycle: 'monthly' })).toBe(false);
    expect(isMonthlyTerm({ termDuration: 'P3Y', billingCycle: 'annual' })).toBe(false);
    expect(isMonthlyTerm({ termDuration: null, billingCycle: 'monthly' })).toBe(true);
    expect(isMonthlyTerm({ termDuration: null, billingCycle: 'annual' })).toBe(false);
    expect(isMonthlyTerm({ termDuration: null, billingCycle: 'none' })).toBe(false);
  });

  it('names the term for people', () => {
    expect(termLabel({ termDuration: 'P1M', billingCycle: 'monthly' })).toBe('monthly');
    expect(termLabel({ termDuration: 'P1Y', billingCycle: 'monthly' })).toBe('annual');
    expect(termLabel({ termDuration: 'P3Y', billingCycle: 'annual' })).toBe('3-year');
    expect(termLabel({ termDuration: null, billingCycle: 'annual' })).toBe('annual');
    expect(termLabel({ termDuration: null, billingCycle: 'none' })).toBeNull();
  });
});

describe('the seats Partner Center sells a tenant of one SKU', () => {
  const E3 = '05E9A617-0261-4CEE-BB44-138D3EF5D965';
  it('adds the active subscriptions the directory names with that SKU, whatever the case of its id', () => {
    const subscriptions = [
      subscriptionPicture({ subscriptionId: 'a', skuId: E3.toLowerCase(), quantity: 50, status: 'active' }),
      subscriptionPicture({ subscriptionId: 'b', skuId: E3, quantity: 5, status: 'Active' }),
      subscriptionPicture({ subscriptionId: 'c', skuId: E3, quantity: 25, status: 'suspended' }),
      subscriptionPicture({ subscriptionId: 'd', skuId: null, quantity: 9, status: 'active' }),
    ];
    expect(partnerCenterQuantity({ subscriptions }, E3)).toBe(55);
  });

  it('knows none when no active subscription is named with the SKU', () => {
    expect(partnerCenterQuantity({ subscriptions: [subscriptionPicture({ skuId: null })] }, E3)).toBeNull();
  });
});
