// The seat numbers a partner bills and chases: purchased = active + warning units (Partner Center's totalUnits;
// warning units are still paid for during the grace period, suspended ones are not), assigned = consumed units.
export interface LicenceTotals {
  purchased: number;
  assigned: number;
  // True when any SKU has purchased seats nobody uses.
  hasUnassignedSeats: boolean;
}

export interface SeatCounts {
  activeUnits: number;
  warningUnits: number;
  consumedUnits: number;
}

export function purchasedSeats(counts: SeatCounts): number {
  return counts.activeUnits + counts.warningUnits;
}

export function licenceTotals(skus: readonly SeatCounts[]): LicenceTotals {
  let purchased = 0;
  let assigned = 0;
  let hasUnassignedSeats = false;
  for (const sku of skus) {
    purchased += purchasedSeats(sku);
    assigned += sku.consumedUnits;
    // Per SKU: spare E3 seats do not cover users who need Business Premium.
    if (purchasedSeats(sku) > sku.consumedUnits) hasUnassignedSeats = true;
  }
  return { purchased, assigned, hasUnassignedSeats };
}
