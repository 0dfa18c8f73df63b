import { isMonthlyTerm, subscriptionState, termLabel } from './picture';

describe('what a Partner Center subscription means for its seats', () => {
  it('groups statuses into active, suspended, ended and other, whatever their case', () => {
    expect(['active', 'Active', 'suspended', 'disabled', 'deleted', 'expired', 'cancelled', 'pending', 'none'].map(subscriptionState)).toEqual([
      'active',
      'active',
      'suspended',
      'suspended',
      'ended',
      'ended',
      'ended',
      'other',
      'other',
    ]);
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
