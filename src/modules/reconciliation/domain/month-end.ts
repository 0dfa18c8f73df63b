import { InvalidRunTimeError, InvalidTimeZoneError } from './reconciliation.errors';

// Calendar arithmetic in an organization's IANA time zone, through Intl only (the runtime's own time zone
// database, so daylight saving time is Intl's business, not ours).

export interface LocalDateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  // 'YYYY-MM-DD' and 'HH:mm' on the local wall clock.
  date: string;
  time: string;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch (error) {
    if (error instanceof InvalidTimeZoneError) return false;
    throw error;
  }
}

export function assertTimeZone(timeZone: string): void {
  partsFormatter(timeZone);
}

export function localDateTimeParts(date: Date, timeZone: string): LocalDateTimeParts {
  const values: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of partsFormatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = values;
  return { year, month, day, hour, minute, second, date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, time: `${pad(hour)}:${pad(minute)}` };
}

// '2026-11': the calendar month the instant falls in, on the organization's wall clock.
export function monthOf(date: Date, timeZone: string): string {
  const { year, month } = localDateTimeParts(date, timeZone);
  return `${pad(year, 4)}-${pad(month)}`;
}

// The calendar months that ended after the previous run and by this one, oldest first, so the first run after a
// month ends can freeze that month's snapshot (and a pause of several months freezes each of them once). The
// first run ever has nothing to freeze: there is no earlier snapshot of the month that ended.
export function monthEndsBetween(previousRunAt: Date | null, runAt: Date, timeZone: string): string[] {
  assertTimeZone(timeZone);
  if (!previousRunAt) return [];
  const last = monthOf(runAt, timeZone);
  const months: string[] = [];
  let [year, month] = monthOf(previousRunAt, timeZone).split('-').map(Number);
  for (let label = `${pad(year, 4)}-${pad(month)}`; label < last; label = `${pad(year, 4)}-${pad(month)}`) {
    months.push(label);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}

// Whether the daily run is due: once per local date, at or after the local run time. Comparing wall-clock times
// (not instants) keeps it right across daylight saving time: on a spring-forward day that skips 02:00 the run
// is due from 03:00, and on a fall-back day that repeats an hour the date check stops a second run.
export function isDue(
  now: Date,
  timeZone: string,
  runAtLocalTime: string,
  lastRunLocalDate: string | null,
): { due: boolean; localDate: string } {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(runAtLocalTime)) throw new InvalidRunTimeError(runAtLocalTime);
  const local = localDateTimeParts(now, timeZone);
  const ranToday = lastRunLocalDate !== null && lastRunLocalDate >= local.date;
  return { due: !ranToday && local.time >= runAtLocalTime, localDate: local.date };
}

// '14 January 2027' on the organization's wall clock: how dates appear in explanations and summaries.
export function formatDay(date: Date, timeZone: string): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    assertTimeZone(timeZone);
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(date);
}

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (formatter) return formatter;
  try {
    // h23: never '24' at midnight (hour12: false does that on some ICU versions).
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidTimeZoneError(timeZone);
    throw error;
  }
  partsFormatters.set(timeZone, formatter);
  return formatter;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
