import { checkApproved, checkChange, changeRules, renewalDay, type ProductSeats, type SubscriptionFacts } from './change-rules';
import { ChangeNotAllowedError } from './portal.errors';

const NOW = new Date('2026-11-27T10:00:00Z');

// Adatum's annual Microsoft 365 E3 in the demo: 50 seats, 47 assigned, bought 200 days ago.
function annual(overrides: Partial<SubscriptionFacts> = {}): SubscriptionFacts {
  return {
    id: 'sub-e3',
    name: 'Microsoft 365 E3',
    quantity: 50,
    state: 'active',
    monthlyTerm: false,
    autoRenew: true,
    cancellationAllowedUntil: new Date('2026-05-18T00:00:00Z'),
    commitmentEnd: new Date('2027-05-10T00:00:00Z'),
    ...overrides,
  };
}

function monthly(overrides: Partial<SubscriptionFacts> = {}): SubscriptionFacts {
  return annual({
    id: 'sub-pbi',
    name: 'Power BI Pro',
    quantity: 10,
    monthlyTerm: true,
    cancellationAllowedUntil: new Date('2026-11-22T00:00:00Z'),
    commitmentEnd: new Date('2026-12-14T00:00:00Z'),
    ...overrides,
  });
}

const e3Seats: ProductSeats = { productName: 'Microsoft 365 E3', purchased: 50, assigned: 47 };
const powerBiSeats: ProductSeats = { productName: 'Power BI Pro', purchased: 10, assigned: 7 };

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ChangeNotAllowedError) return error.message;
    throw error;
  }
  throw new Error('expected the change to be refused');
}

describe('licence change rules', () => {
  it('allows adding seats to an active subscription at any time', () => {
    const rules = changeRules(annual(), e3Seats, NOW);
    expect(rules.increase.allowed).toBe(true);
    expect(checkChange(annual(), rules, 'increase', '60')).toEqual({ kind: 'increase', toQuantity: 60, effectiveDate: null });
  });

  it('lets a monthly subscription give seats back only within 7 days of its term start, like every term (new commerce)', () => {
    const rules = changeRules(monthly(), powerBiSeats, NOW);
    expect(rules.decreaseNow).toEqual({
      allowed: false,
      reason:
        "Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on 22 Nov 2026 UTC, so seats can now be removed only at renewal on 15 Dec 2026 UTC.",
    });
    expect(refusal(() => checkChange(monthly(), rules, 'decrease', '7'))).toMatch(/only at renewal on 15 Dec 2026 UTC/);
    expect(checkChange(monthly(), rules, 'decrease_at_renewal', '7')).toEqual({
      kind: 'decrease_at_renewal',
      toQuantity: 7,
      effectiveDate: new Date('2026-12-15T00:00:00Z'),
    });
  });

  it('lets a monthly subscription give seats back inside its 7-day window, down to the assigned seats', () => {
    const inWindow = monthly({ cancellationAllowedUntil: new Date('2026-11-30T00:00:00Z') });
    const rules = changeRules(inWindow, powerBiSeats, NOW);
    expect(rules.decreaseNow).toEqual({
      allowed: true,
      reason: 'Seats can be removed until 30 Nov 2026 UTC (within 7 days of the start of the term), down to 7.',
    });
    expect(rules.minimumQuantity).toBe(7);
    expect(checkChange(inWindow, rules, 'decrease', '7')).toEqual({ kind: 'decrease', toQuantity: 7, effectiveDate: null });
  });

  it('never goes below the seats assigned to people', () => {
    const inWindow = monthly({ cancellationAllowedUntil: new Date('2026-11-30T00:00:00Z') });
    const rules = changeRules(inWindow, powerBiSeats, NOW);
    expect(refusal(() => checkChange(inWindow, rules, 'decrease', 6))).toBe(
      'Power BI Pro cannot go below 7 seats: fewer would leave licences assigned to people without a seat.',
    );
  });

  it('follows Partner Center’s refundableQuantity: seats added mid-term can go now, only as many as it says', () => {
    const added = annual({ quantity: 55, refundableQuantity: 5 });
    const rules = changeRules(added, { productName: 'Microsoft 365 E3', purchased: 55, assigned: 47 }, NOW);
    expect(rules.decreaseNow).toEqual({ allowed: true, reason: '5 seats added in the last 7 days can be removed now, down to 50.' });
    expect(checkChange(added, rules, 'decrease', '51')).toMatchObject({ kind: 'decrease', toQuantity: 51 });
    let fix: string | undefined;
    expect(
      refusal(() => {
        try {
          checkChange(added, rules, 'decrease', '48');
        } catch (error) {
          fix = (error as ChangeNotAllowedError).fix;
          throw error;
        }
      }),
    ).toBe(
      'Only 5 seats of Microsoft 365 E3 can be removed now: seats can be removed only within 7 days of being bought, renewed or added.',
    );
    expect(fix).toBe('Ask for at most 5 fewer now, or remove the seats at renewal on 11 May 2027 UTC.');
  });

  it('offers no change at all while Partner Center holds a change scheduled for renewal: any change now would delete it', () => {
    const scheduled = annual({ scheduledQuantity: 48 });
    const rules = changeRules(scheduled, e3Seats, NOW);
    const reason =
      "A change is scheduled in Partner Center for this subscription's renewal on 11 May 2027 UTC (48 seats). Any change now would delete it, so the seats cannot be changed until then; ask your IT partner if the scheduled change should go.";
    expect(rules.increase).toEqual({ allowed: false, reason });
    expect(rules.decreaseNow.allowed).toBe(false);
    expect(rules.decreaseAtRenewal.allowed).toBe(false);
    expect(rules.sentences).toEqual([reason]);
    expect(refusal(() => checkChange(scheduled, rules, 'increase', 60))).toBe(reason);
  });

  it('counts the assigned seats over the whole product: another subscription of it covers part of them', () => {
    // 30 more seats of E3 in a second subscription: this one may shrink to 17.
    const rules = changeRules(
      annual({ cancellationAllowedUntil: new Date('2026-11-30T00:00:00Z') }),
      { productName: 'Microsoft 365 E3', purchased: 80, assigned: 47 },
      NOW,
    );
    expect(rules.minimumQuantity).toBe(17);
    expect(rules.decreaseNow.allowed).toBe(true);
  });

  it('refuses every reduction when all seats are assigned, or more', () => {
    const rules = changeRules(monthly(), { productName: 'Power BI Pro', purchased: 10, assigned: 12 }, NOW);
    expect(rules.decreaseNow.allowed).toBe(false);
    expect(rules.decreaseAtRenewal.allowed).toBe(false);
    expect(rules.seatLimit).toBe('All Power BI Pro seats are in use (12 licences assigned, 10 bought), so none can be removed.');
    expect(rules.increase.allowed).toBe(true);
  });

  it('allows only increases while Sync 365 cannot tell how many seats are assigned', () => {
    const rules = changeRules(monthly(), null, NOW);
    expect(rules.increase.allowed).toBe(true);
    expect(rules.decreaseNow.reason).toMatch(/cannot tell yet how many of these seats are assigned/);
    expect(refusal(() => checkChange(monthly(), rules, 'decrease', 8))).toMatch(/cannot tell yet/);
  });

  it('reduces an annual subscription inside its cancellation window', () => {
    const facts = annual({ cancellationAllowedUntil: new Date('2026-11-29T00:00:00Z') });
    const rules = changeRules(facts, e3Seats, NOW);
    expect(rules.decreaseNow).toEqual({
      allowed: true,
      reason: 'Seats can be removed until 29 Nov 2026 UTC (within 7 days of the start of the term), down to 47.',
    });
    expect(checkChange(facts, rules, 'decrease', 48).toQuantity).toBe(48);
  });

  it('refuses to reduce an annual subscription outside its window now, and offers the renewal instead', () => {
    const rules = changeRules(annual(), e3Seats, NOW);
    expect(rules.decreaseNow).toEqual({
      allowed: false,
      reason:
        "Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on 18 May 2026 UTC, so seats can now be removed only at renewal on 11 May 2027 UTC.",
    });
    let fix: string | undefined;
    try {
      checkChange(annual(), rules, 'decrease', 48);
    } catch (error) {
      fix = (error as ChangeNotAllowedError).fix;
    }
    expect(fix).toBe('Choose to remove the seats at renewal instead: they are removed on 11 May 2027 UTC, when the subscription renews.');
  });

  it('schedules a reduction of an annual subscription for the first day of its next term', () => {
    const rules = changeRules(annual(), e3Seats, NOW);
    expect(rules.decreaseAtRenewal).toEqual({
      allowed: true,
      reason: 'Seats can be removed at renewal, down to 47: the change is made on 11 May 2027 UTC, the first day of the new term.',
      effectiveDate: new Date('2027-05-11T00:00:00Z'),
    });
    expect(checkChange(annual(), rules, 'decrease_at_renewal', '48')).toEqual({
      kind: 'decrease_at_renewal',
      toQuantity: 48,
      effectiveDate: new Date('2027-05-11T00:00:00Z'),
    });
    expect(refusal(() => checkChange(annual(), rules, 'decrease_at_renewal', 46))).toMatch(/cannot go below 47 seats/);
  });

  it('offers no reduction at renewal for a subscription that does not renew', () => {
    const rules = changeRules(annual({ autoRenew: false }), e3Seats, NOW);
    expect(rules.decreaseAtRenewal.allowed).toBe(false);
    expect(rules.decreaseAtRenewal.reason).toBe('This subscription does not renew, so seats cannot be removed at renewal.');
  });

  it('changes nothing on a suspended or ended subscription', () => {
    const suspended = changeRules(annual({ state: 'suspended' }), e3Seats, NOW);
    expect([suspended.increase.allowed, suspended.decreaseNow.allowed, suspended.decreaseAtRenewal.allowed]).toEqual([false, false, false]);
    expect(suspended.sentences).toEqual(['This subscription is suspended: its seats cannot change until it is active again.']);
    expect(refusal(() => checkChange(annual({ state: 'suspended' }), suspended, 'increase', 60))).toMatch(/suspended/);
    const ended = changeRules(annual({ state: 'ended' }), e3Seats, NOW);
    expect(refusal(() => checkChange(annual({ state: 'ended' }), ended, 'increase', 60))).toBe(
      'This subscription has ended, so its seats cannot change.',
    );
  });

  it.each([['0'], ['-3'], ['2.5'], ['twelve'], [''], [undefined]])('takes only a whole number of at least 1 (%p)', (value) => {
    const rules = changeRules(monthly(), powerBiSeats, NOW);
    expect(refusal(() => checkChange(monthly(), rules, 'increase', value))).toBe(
      'The number of seats must be a whole number of at least 1.',
    );
  });

  it('refuses a change that changes nothing, or goes the other way than asked', () => {
    const rules = changeRules(monthly(), powerBiSeats, NOW);
    expect(refusal(() => checkChange(monthly(), rules, 'increase', 10))).toBe('Power BI Pro already has 10 seats.');
    expect(refusal(() => checkChange(monthly(), rules, 'increase', 8))).toMatch(/^Adding seats means more than/);
    expect(refusal(() => checkChange(monthly(), rules, 'decrease', 12))).toMatch(/^Removing seats means fewer than/);
  });

  it('shows every rule that applies, in words, before the form is sent', () => {
    expect(changeRules(annual(), e3Seats, NOW).sentences).toEqual([
      'Seats can be added at any time.',
      '47 of 50 Microsoft 365 E3 licences are assigned to people, so this subscription keeps at least 47 seats.',
      "Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on 18 May 2026 UTC, so seats can now be removed only at renewal on 11 May 2027 UTC.",
      'Seats can be removed at renewal, down to 47: the change is made on 11 May 2027 UTC, the first day of the new term.',
    ]);
  });

  describe('when an approved change is about to be made', () => {
    it('refuses a decrease whose cancellation window closed after it was requested', () => {
      const requested = annual({ cancellationAllowedUntil: new Date('2026-11-27T12:00:00Z') });
      expect(() => checkApproved(requested, e3Seats, 'decrease', 48, new Date('2026-11-27T11:00:00Z'))).not.toThrow();
      expect(() => checkApproved(requested, e3Seats, 'decrease', 48, new Date('2026-11-28T09:00:00Z'))).toThrow(ChangeNotAllowedError);
    });

    it('applies a decrease at renewal on its day, leaving the new window to Partner Center, but still not below the assigned seats', () => {
      const renewalMorning = new Date('2027-05-11T02:00:00Z');
      expect(() => checkApproved(annual(), e3Seats, 'decrease_at_renewal', 48, renewalMorning)).not.toThrow();
      expect(() => checkApproved(annual(), { ...e3Seats, assigned: 49 }, 'decrease_at_renewal', 48, renewalMorning)).toThrow(
        /cannot go below 49 seats/,
      );
      expect(() => checkApproved(annual({ state: 'suspended' }), e3Seats, 'decrease_at_renewal', 48, renewalMorning)).toThrow(/suspended/);
    });
  });

  it('takes the renewal day as the day after the commitment ends, in UTC', () => {
    expect(renewalDay(new Date('2027-05-10T00:00:00Z'))).toEqual(new Date('2027-05-11T00:00:00Z'));
    expect(renewalDay(new Date('2027-05-10T23:59:59Z'))).toEqual(new Date('2027-05-11T00:00:00Z'));
  });
});
