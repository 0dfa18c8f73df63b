// Dates Microsoft sends are compared as instants, so a re-read that spells the same instant differently changes
// nothing.

// An unreadable date is unknown, like one Microsoft did not send.
export function instant(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}
