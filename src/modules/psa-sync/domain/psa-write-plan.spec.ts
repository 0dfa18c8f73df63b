import {
  deltaSerialNumber,
  planAutotaskWrites,
  planConnectWiseWrites,
  type AutotaskContractService,
  type ConnectWiseAddition,
  type PlanOptions,
  type WantedLine,
} from './psa-write-plan';

const E3 = 'cw-product-e3';
const BP = 'cw-product-business-premium';
const OTHER = 'cw-product-backup'; // the partner's own service on the same agreement, not mapped in Sync 365

const options: PlanOptions = { changeDate: '2026-12-10', period: { start: '2026-12-01', end: '2026-12-31' }, prorate: 'prorate' };
const wanted = (productId: string, quantity: number, unitPrice = '36.00'): WantedLine => ({
  productId,
  quantity,
  unitPrice,
  description: `Microsoft 365 ${productId}`,
});
const addition = (id: number, productId: string, quantity: number, extra: Partial<ConnectWiseAddition> = {}): ConnectWiseAddition => ({
  id,
  productId,
  quantity,
  unitPrice: '36.00',
  effectiveDate: '2026-01-01',
  cancelledDate: null,
  serialNumber: null,
  lastUpdated: '2026-11-02T09:15:00Z',
  ...extra,
});
// The main addition of E3 at 12 seats, as the tests below start from (its key is derived from this state).
const MAIN = addition(1, E3, 12);

describe('ConnectWise write plan', () => {
  it('writes nothing when the agreement already bills what the preview says, and never touches products Sync 365 does not manage', () => {
    const plan = planConnectWiseWrites([wanted(E3, 12)], [addition(1, E3, 12), addition(2, OTHER, 40)], options);
    expect(plan.writes).toEqual([]);
    expect(plan.lines).toEqual([{ productId: E3, before: 12, after: 12, outcome: 'unchanged' }]);
  });

  it('raises seats with a delta addition for the rest of the period first, then the main addition', () => {
    const plan = planConnectWiseWrites([wanted(E3, 15)], [addition(1, E3, 12)], options);
    expect(plan.lines).toEqual([{ productId: E3, before: 12, after: 15, outcome: 'increase' }]);
    expect(plan.writes).toEqual([
      {
        kind: 'add-prorate-delta',
        productId: E3,
        quantity: 3,
        unitPrice: '36.00',
        effectiveDate: '2026-12-10',
        cancelledDate: '2026-12-31',
        serialNumber: deltaSerialNumber(MAIN, 15),
        description: 'Microsoft 365 cw-product-e3 (+3 from 2026-12-10)',
      },
      { kind: 'change-addition', additionId: 1, productId: E3, quantity: 15 },
    ]);
  });

  it('a retry after a crash or a refusal between the two writes only changes the quantity (the delta is found by its key), in the same run or the next day', () => {
    const delta = addition(9, E3, 3, {
      effectiveDate: '2026-12-10',
      cancelledDate: '2026-12-31',
      serialNumber: deltaSerialNumber(MAIN, 15),
    });
    const plan = planConnectWiseWrites([wanted(E3, 15)], [MAIN, delta], options);
    expect(plan.writes).toEqual([{ kind: 'change-addition', additionId: 1, productId: E3, quantity: 15 }]);
    expect(planConnectWiseWrites([wanted(E3, 15)], [MAIN, delta], { ...options, changeDate: '2026-12-11' }).writes).toEqual([
      { kind: 'change-addition', additionId: 1, productId: E3, quantity: 15 },
    ]);
  });

  it('the same seat change again after the main addition changed in between (12 → 15, back to 12, then 15) is a new delta', () => {
    const first = addition(9, E3, 3, {
      effectiveDate: '2026-12-10',
      cancelledDate: '2026-12-31',
      serialNumber: deltaSerialNumber(MAIN, 15),
    });
    const backTo12 = addition(1, E3, 12, { lastUpdated: '2026-12-12T06:00:00Z' });
    const plan = planConnectWiseWrites([wanted(E3, 15)], [backTo12, first], { ...options, changeDate: '2026-12-14' });
    expect(plan.writes.map((write) => write.kind)).toEqual(['add-prorate-delta', 'change-addition']);
    expect(plan.writes[0]).toMatchObject({ quantity: 3, serialNumber: deltaSerialNumber(backTo12, 15), effectiveDate: '2026-12-14' });
    expect(deltaSerialNumber(backTo12, 15)).not.toBe(deltaSerialNumber(MAIN, 15));
  });

  it('a retry after both writes landed writes nothing; delta additions are never taken for the main one', () => {
    const delta = addition(9, E3, 3, { cancelledDate: '2026-12-31', serialNumber: deltaSerialNumber(MAIN, 15) });
    expect(
      planConnectWiseWrites([wanted(E3, 15)], [addition(1, E3, 15, { lastUpdated: '2026-12-10T08:00:00Z' }), delta], options).writes,
    ).toEqual([]);
  });

  it('the next run raising seats again writes a new delta under its own key', () => {
    const earlier = addition(9, E3, 3, { cancelledDate: '2026-12-31', serialNumber: deltaSerialNumber(MAIN, 15) });
    const at15 = addition(1, E3, 15, { lastUpdated: '2026-12-10T08:00:00Z' });
    const plan = planConnectWiseWrites([wanted(E3, 18)], [at15, earlier], { ...options, changeDate: '2026-12-11' });
    expect(plan.writes.map((write) => write.kind)).toEqual(['add-prorate-delta', 'change-addition']);
    expect(plan.writes[0]).toMatchObject({
      quantity: 3,
      serialNumber: expect.stringMatching(/^S365 1 [0-9a-f]{8} 15>18$/),
      effectiveDate: '2026-12-11',
    });
  });

  it('lowers seats from the next invoice without a credit, unless the partner credits decreases', () => {
    const plain = planConnectWiseWrites([wanted(E3, 10)], [addition(1, E3, 12)], options);
    expect(plain.writes).toEqual([{ kind: 'change-addition', additionId: 1, productId: E3, quantity: 10 }]);
    expect(plain.lines[0]).toMatchObject({ outcome: 'decrease', before: 12, after: 10 });
    const credited = planConnectWiseWrites([wanted(E3, 10)], [addition(1, E3, 12)], { ...options, creditDecreases: true });
    expect(credited.writes[0]).toMatchObject({ kind: 'add-prorate-delta', quantity: -2, serialNumber: deltaSerialNumber(MAIN, 10) });
  });

  it('without prorating, changes wait for the next period: no delta, new additions start the day after the period', () => {
    const next = { ...options, prorate: 'next-period' as const };
    expect(planConnectWiseWrites([wanted(E3, 15)], [addition(1, E3, 12)], next).writes).toEqual([
      { kind: 'change-addition', additionId: 1, productId: E3, quantity: 15 },
    ]);
    expect(planConnectWiseWrites([wanted(BP, 4)], [], next).writes).toEqual([
      {
        kind: 'create-addition',
        productId: BP,
        quantity: 4,
        unitPrice: '36.00',
        effectiveDate: '2027-01-01',
        description: 'Microsoft 365 cw-product-business-premium',
      },
    ]);
  });

  it('adds a product the agreement lacks, effective on the change day when prorating', () => {
    const plan = planConnectWiseWrites([wanted(BP, 4, '22.10')], [], options);
    expect(plan.lines).toEqual([{ productId: BP, before: 0, after: 4, outcome: 'new' }]);
    expect(plan.writes).toEqual([
      {
        kind: 'create-addition',
        productId: BP,
        quantity: 4,
        unitPrice: '22.10',
        effectiveDate: '2026-12-10',
        description: 'Microsoft 365 cw-product-business-premium',
      },
    ]);
  });

  it('cancels the addition of a product no longer billed, and adds nothing for a product at 0 that the agreement lacks', () => {
    const plan = planConnectWiseWrites([wanted(E3, 0), wanted(BP, 0)], [addition(1, E3, 12)], options);
    expect(plan.writes).toEqual([{ kind: 'cancel-addition', additionId: 1, productId: E3, cancelledDate: '2026-12-10' }]);
    expect(plan.lines).toEqual([{ productId: E3, before: 12, after: 0, outcome: 'removed' }]);
  });

  it('treats an addition cancelled on or before the change day as gone, and one cancelled later as live', () => {
    expect(
      planConnectWiseWrites([wanted(E3, 12)], [addition(1, E3, 12, { cancelledDate: '2026-12-09T00:00:00Z' })], options).writes[0],
    ).toMatchObject({ kind: 'create-addition' });
    expect(
      planConnectWiseWrites([wanted(E3, 12)], [addition(1, E3, 12, { cancelledDate: '2027-03-31T00:00:00Z' })], options).writes,
    ).toEqual([]);
  });

  it('changes the price alone when only the price differs, comparing decimals exactly', () => {
    expect(planConnectWiseWrites([wanted(E3, 12, '36.0')], [addition(1, E3, 12)], options).writes).toEqual([]);
    expect(planConnectWiseWrites([wanted(E3, 12, '38.50')], [addition(1, E3, 12)], options).writes).toEqual([
      { kind: 'change-addition', additionId: 1, productId: E3, unitPrice: '38.50' },
    ]);
  });

  it('refuses to guess between two active additions for one product, and says what to do', () => {
    const plan = planConnectWiseWrites([wanted(E3, 20)], [addition(1, E3, 12), addition(2, E3, 4)], options);
    expect(plan.writes).toEqual([]);
    expect(plan.lines).toEqual([
      {
        productId: E3,
        before: 16,
        after: 16,
        outcome: 'conflict',
        problem: expect.stringMatching(/2 active additions.*Cancel or merge the extra ones in ConnectWise/),
      },
    ]);
  });

  it('adds up two billing products mapped to one PSA product, and refuses fractional or negative seats', () => {
    expect(planConnectWiseWrites([wanted(E3, 10), wanted(E3, 2)], [addition(1, E3, 12)], options).writes).toEqual([]);
    expect(() => planConnectWiseWrites([wanted(E3, 1.5)], [], options)).toThrow(/whole number of seats/);
    expect(() => planConnectWiseWrites([wanted(E3, -1)], [], options)).toThrow(/whole number of seats/);
  });

  it('keeps the delta marker within ConnectWise’s 50 characters, naming the main addition, its last change and the seat change', () => {
    expect(deltaSerialNumber(MAIN, 15)).toMatch(/^S365 1 [0-9a-f]{8} 12>15$/);
    expect(deltaSerialNumber({ id: 2 ** 31 - 1, quantity: 1_000_000, lastUpdated: null }, 2_000_000).length).toBeLessThanOrEqual(50);
  });
});

describe('Autotask write plan', () => {
  const service = (serviceId: string, units: number, contractServiceId = 501): AutotaskContractService => ({
    contractServiceId,
    serviceId,
    units,
    unitPrice: '36.00',
  });

  it('adjusts units by the difference, dated on the change day when prorating', () => {
    const plan = planAutotaskWrites([wanted(E3, 15)], [service(E3, 12), service(OTHER, 40, 502)], options);
    expect(plan.writes).toEqual([
      {
        kind: 'adjust-units',
        serviceId: E3,
        contractServiceId: 501,
        unitChange: 3,
        effectiveDate: '2026-12-10',
        adjustedUnitPrice: '36.00',
      },
    ]);
    expect(plan.lines).toEqual([{ productId: E3, before: 12, after: 15, outcome: 'increase' }]);
  });

  it('dates the adjustment at the period start when prorating is off', () => {
    expect(planAutotaskWrites([wanted(E3, 10)], [service(E3, 12)], { ...options, prorate: 'next-period' }).writes[0]).toMatchObject({
      unitChange: -2,
      effectiveDate: '2026-12-01',
    });
  });

  it('a retry after the adjustment landed plans nothing: the units in force already match', () => {
    expect(planAutotaskWrites([wanted(E3, 15)], [service(E3, 15)], options)).toEqual({
      lines: [{ productId: E3, before: 15, after: 15, outcome: 'unchanged' }],
      writes: [],
    });
  });

  it('lets the adjustment create a missing contract service, and takes every unit away from a product no longer billed', () => {
    const plan = planAutotaskWrites([wanted(BP, 4), wanted(E3, 0)], [service(E3, 12)], options);
    expect(plan.writes).toEqual([
      {
        kind: 'adjust-units',
        serviceId: BP,
        contractServiceId: null,
        unitChange: 4,
        effectiveDate: '2026-12-10',
        adjustedUnitPrice: '36.00',
      },
      {
        kind: 'adjust-units',
        serviceId: E3,
        contractServiceId: 501,
        unitChange: -12,
        effectiveDate: '2026-12-10',
        adjustedUnitPrice: '36.00',
      },
    ]);
    expect(plan.lines.map((line) => line.outcome)).toEqual(['new', 'removed']);
    expect(planAutotaskWrites([wanted(BP, 0)], [], options)).toEqual({ lines: [], writes: [] });
  });

  it('refuses to guess between two contract services for one service', () => {
    const plan = planAutotaskWrites([wanted(E3, 15)], [service(E3, 12, 501), service(E3, 3, 502)], options);
    expect(plan.writes).toEqual([]);
    expect(plan.lines[0]).toMatchObject({
      outcome: 'conflict',
      before: 15,
      problem: expect.stringMatching(/Remove the extra ones in Autotask/),
    });
  });
});
