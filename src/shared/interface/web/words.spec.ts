import { billingCycleWords, gdapStatusWords, subscriptionStatusWords, termWords } from './words';

describe("Microsoft's terms in words", () => {
  it('says term durations in words', () => {
    expect(termWords('P1M')).toBe('1 month');
    expect(termWords('P1Y')).toBe('1 year');
    expect(termWords('P3Y')).toBe('3 years');
    expect(termWords('p1y')).toBe('1 year');
    expect(termWords(null)).toBe('');
    expect(termWords('someday')).toBe('someday');
  });

  it('says billing cycles in words', () => {
    expect(billingCycleWords('monthly')).toBe('Monthly');
    expect(billingCycleWords('annual')).toBe('Annual');
    expect(billingCycleWords('triennial')).toBe('Every 3 years');
    expect(billingCycleWords('one_time')).toBe('Once');
    expect(billingCycleWords('Monthly')).toBe('Monthly');
  });

  it("says Partner Center's and the directory's subscription statuses in words", () => {
    expect(subscriptionStatusWords('active')).toBe('Active');
    expect(subscriptionStatusWords('deleted')).toBe('Cancelled');
    expect(subscriptionStatusWords('LockedOut')).toBe('Locked out');
    expect(subscriptionStatusWords('Warning')).toBe('In grace period');
    expect(subscriptionStatusWords('Enabled')).toBe('Active');
    expect(subscriptionStatusWords('brand_new')).toBe('brand_new');
  });

  it('says GDAP relationship statuses in words', () => {
    expect(gdapStatusWords('approvalPending')).toBe('Waiting for the customer’s approval');
    expect(gdapStatusWords('expired')).toBe('Expired');
  });
});
