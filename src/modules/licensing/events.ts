// Published when the licences of a tenant read by an import are recorded (whether or not anything changed).
export const LICENCES_RECORDED = 'licensing.licences-recorded';

export interface LicencesRecordedPayload {
  importRunId: string;
  tenantId: string;
  // Seats across the tenant's SKUs: purchased = active + warning units, assigned = consumed units.
  purchased: number;
  assigned: number;
  // True when any SKU has purchased seats nobody uses.
  hasUnassignedSeats: boolean;
  // Why Partner Center would not list the tenant's licences in this read (no licence-reading GDAP role): the totals
  // are then unknown, not zero. Absent or null: they were read.
  licencesUnreadable?: string | null;
}
