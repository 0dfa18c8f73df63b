import { licenceTotals } from './licence-totals';

const sku = (activeUnits: number, warningUnits: number, consumedUnits: number) => ({ activeUnits, warningUnits, consumedUnits });

describe('seat totals of a tenant', () => {
  it('counts active and warning units as purchased and consumed units as assigned', () => {
    expect(licenceTotals([sku(10, 2, 12), sku(5, 0, 5)])).toEqual({ purchased: 17, assigned: 17, hasUnassignedSeats: false });
  });

  it('flags unassigned seats when any one SKU has more purchased than assigned, even if another is over-assigned', () => {
    expect(licenceTotals([sku(10, 0, 8), sku(3, 0, 5)])).toEqual({ purchased: 13, assigned: 13, hasUnassignedSeats: true });
  });

  it('does not count suspended units as purchased', () => {
    const suspendedOnly = { activeUnits: 0, warningUnits: 0, suspendedUnits: 25, consumedUnits: 0 };
    expect(licenceTotals([suspendedOnly])).toEqual({ purchased: 0, assigned: 0, hasUnassignedSeats: false });
  });

  it('is zero for a tenant without licences', () => {
    expect(licenceTotals([])).toEqual({ purchased: 0, assigned: 0, hasUnassignedSeats: false });
  });
});
