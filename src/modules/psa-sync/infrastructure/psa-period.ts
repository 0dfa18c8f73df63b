import type { BillingPeriod } from '../domain/psa-write-plan';

// The monthly billing period containing a day. Assumed for both PSAs: the demo agreements/contracts bill monthly from
// the first of the month; an agreement billing on another day or cycle (billStartDate, quarterly) is not modelled
// yet, so its prorate delta would be dated by calendar month.
export function monthOf(day: string): BillingPeriod {
  const [year, month] = day.split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { start: `${year}-${mm}-01`, end: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}
