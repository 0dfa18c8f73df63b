import { formatWhen, zoneAbbreviation } from './when';

describe('dates on the dashboard', () => {
  const winter = new Date('2026-12-07T02:53:00Z');
  const summer = new Date('2026-07-07T02:53:00Z');

  it('shows an instant in the given time zone with its abbreviation', () => {
    expect(formatWhen(winter, 'Europe/Paris')).toBe('7 Dec 2026, 03:53 CET');
    expect(formatWhen(summer, 'Europe/Paris')).toBe('7 Jul 2026, 04:53 CEST');
    expect(formatWhen(winter, 'America/New_York')).toBe('6 Dec 2026, 21:53 EST');
    expect(formatWhen(winter.toISOString(), 'Europe/London')).toBe('7 Dec 2026, 02:53 GMT');
  });

  it('uses UTC when no zone is set or the zone is unknown', () => {
    expect(formatWhen(winter, undefined)).toBe('7 Dec 2026, 02:53 UTC');
    expect(formatWhen(winter, 'Mars/Olympus_Mons')).toBe('7 Dec 2026, 02:53 UTC');
  });

  it('names a zone without an abbreviation by its offset', () => {
    expect(zoneAbbreviation(winter, 'Asia/Kolkata')).toMatch(/^(IST|GMT\+5:30)$/);
  });
});
