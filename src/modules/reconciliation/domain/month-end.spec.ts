import { formatDay, isDue, isValidTimeZone, localDateTimeParts, monthEndsBetween, monthOf } from './month-end';
import { InvalidRunTimeError, InvalidTimeZoneError } from './reconciliation.errors';

const at = (iso: string) => new Date(iso);

describe('the month an instant falls in', () => {
  it('follows the organization wall clock, not UTC', () => {
    expect(monthOf(at('2026-11-30T23:30:00Z'), 'UTC')).toBe('2026-11');
    expect(monthOf(at('2026-11-30T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-12');
    expect(monthOf(at('2026-12-01T03:00:00Z'), 'America/New_York')).toBe('2026-11');
    expect(monthOf(at('2026-11-30T11:00:00Z'), 'Pacific/Auckland')).toBe('2026-12');
  });

  it('refuses a time zone it does not know, with a stable code', () => {
    expect(() => monthOf(at('2026-11-30T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(InvalidTimeZoneError);
    expect(() => monthOf(at('2026-11-30T00:00:00Z'), '')).toThrow(expect.objectContaining({ code: 'LICENSING.INVALID_TIME_ZONE' }));
    expect(isValidTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});

describe('months that ended between two runs', () => {
  const zone = 'Europe/Amsterdam';

  it('is none on the first run: there is no snapshot of the month that ended', () => {
    expect(monthEndsBetween(null, at('2026-12-01T01:00:00Z'), zone)).toEqual([]);
  });

  it('is none while the runs stay in one month', () => {
    expect(monthEndsBetween(at('2026-11-01T01:00:00Z'), at('2026-11-30T22:59:59Z'), zone)).toEqual([]);
  });

  it('is the month that ended at local midnight, even while it is still that month in UTC', () => {
    const previous = at('2026-11-30T01:00:00Z');
    expect(monthEndsBetween(previous, at('2026-11-30T23:00:00Z'), zone)).toEqual(['2026-11']);
    expect(monthEndsBetween(previous, at('2026-11-30T23:00:00Z'), 'UTC')).toEqual([]);
    expect(monthEndsBetween(previous, at('2026-11-30T22:59:59Z'), zone)).toEqual([]);
  });

  it('names each month once across consecutive runs', () => {
    const runs = ['2026-11-29T01:00:00Z', '2026-11-30T01:00:00Z', '2026-12-01T01:00:00Z', '2026-12-02T01:00:00Z'].map(at);
    const frozen = runs.slice(1).flatMap((run, i) => monthEndsBetween(runs[i], run, zone));
    expect(frozen).toEqual(['2026-11']);
  });

  it('names every month that ended during a pause, across a new year', () => {
    expect(monthEndsBetween(at('2026-10-15T01:00:00Z'), at('2027-02-01T01:00:00Z'), zone)).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
  });

  it('ends March on the local wall clock in the month daylight saving time starts', () => {
    // 2027-03-31T22:00Z is 1 April 00:00 CEST (UTC+2); an hour earlier is still 31 March.
    expect(monthEndsBetween(at('2027-03-30T01:00:00Z'), at('2027-03-31T21:59:59Z'), zone)).toEqual([]);
    expect(monthEndsBetween(at('2027-03-30T01:00:00Z'), at('2027-03-31T22:00:00Z'), zone)).toEqual(['2027-03']);
  });

  it('names nothing when the clock went backwards between runs', () => {
    expect(monthEndsBetween(at('2026-12-02T01:00:00Z'), at('2026-11-15T01:00:00Z'), zone)).toEqual([]);
  });
});

describe('local date and time', () => {
  it('spells midnight as 00:00 of the next day', () => {
    expect(localDateTimeParts(at('2026-11-30T23:00:00Z'), 'Europe/Amsterdam')).toEqual({
      year: 2026,
      month: 12,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
      date: '2026-12-01',
      time: '00:00',
    });
  });

  it('repeats the hour daylight saving time gives back', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET.
    expect(localDateTimeParts(at('2026-10-25T00:30:00Z'), 'Europe/Amsterdam').time).toBe('02:30');
    expect(localDateTimeParts(at('2026-10-25T01:30:00Z'), 'Europe/Amsterdam').time).toBe('02:30');
  });

  it('formats a day for people in the organization time zone', () => {
    expect(formatDay(at('2027-01-14T00:00:00Z'), 'UTC')).toBe('14 January 2027');
    expect(formatDay(at('2027-01-14T00:00:00Z'), 'America/Los_Angeles')).toBe('13 January 2027');
  });
});

describe('whether the daily run is due', () => {
  const zone = 'Europe/Amsterdam';

  it('is due at 02:00 local time, once per local date', () => {
    expect(isDue(at('2026-11-27T00:59:00Z'), zone, '02:00', '2026-11-26')).toEqual({ due: false, localDate: '2026-11-27' });
    expect(isDue(at('2026-11-27T01:00:00Z'), zone, '02:00', '2026-11-26')).toEqual({ due: true, localDate: '2026-11-27' });
    expect(isDue(at('2026-11-27T15:00:00Z'), zone, '02:00', '2026-11-27')).toEqual({ due: false, localDate: '2026-11-27' });
  });

  it('is due on the very first run once the time has come', () => {
    expect(isDue(at('2026-11-27T07:00:00Z'), 'America/New_York', '02:00', null)).toEqual({ due: true, localDate: '2026-11-27' });
    expect(isDue(at('2026-11-27T06:59:00Z'), 'America/New_York', '02:00', null)).toEqual({ due: false, localDate: '2026-11-27' });
  });

  it('catches up later the same day after a missed 02:00', () => {
    expect(isDue(at('2026-11-27T17:00:00Z'), zone, '02:00', '2026-11-25').due).toBe(true);
  });

  it('runs at 03:00 on the night daylight saving time skips 02:00', () => {
    // 28 March 2027: 02:00 CET jumps to 03:00 CEST.
    expect(isDue(at('2027-03-28T00:59:00Z'), zone, '02:00', '2027-03-27')).toEqual({ due: false, localDate: '2027-03-28' });
    expect(isDue(at('2027-03-28T01:00:00Z'), zone, '02:00', '2027-03-27')).toEqual({ due: true, localDate: '2027-03-28' });
  });

  it('runs once on the night daylight saving time repeats 02:00', () => {
    expect(isDue(at('2026-10-25T00:00:00Z'), zone, '02:00', '2026-10-24')).toEqual({ due: true, localDate: '2026-10-25' });
    expect(isDue(at('2026-10-25T01:00:00Z'), zone, '02:00', '2026-10-25')).toEqual({ due: false, localDate: '2026-10-25' });
  });

  it('does not run again when the last run is dated later (the organization moved west)', () => {
    expect(isDue(at('2026-11-27T12:00:00Z'), 'America/Los_Angeles', '02:00', '2026-11-28').due).toBe(false);
  });

  it('refuses a run time that is not HH:mm on a 24-hour clock', () => {
    for (const time of ['2:00', '24:00', '02:60', '0200', '']) {
      expect(() => isDue(at('2026-11-27T12:00:00Z'), zone, time, null)).toThrow(InvalidRunTimeError);
    }
  });
});
