// How the dashboard shows an instant: '7 Dec 2026, 03:53 CET', in the organization's time zone (UTC when none is
// set, or should a stored zone no longer be known to the runtime).
const formatters = new Map<string, { date: Intl.DateTimeFormat; zoneName: string | ((date: Date) => string) } | null>();

export function formatWhen(value: Date | string, timeZone: string | undefined): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const formatter = formatterFor(timeZone ?? 'UTC') ?? formatterFor('UTC')!;
  return `${formatter.date.format(date)} ${typeof formatter.zoneName === 'string' ? formatter.zoneName : formatter.zoneName(date)}`;
}

function formatterFor(timeZone: string) {
  if (!formatters.has(timeZone)) {
    try {
      const date = new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
      });
      formatters.set(timeZone, { date, zoneName: timeZone === 'UTC' ? 'UTC' : (at: Date) => zoneAbbreviation(at, timeZone) });
    } catch {
      formatters.set(timeZone, null);
    }
  }
  return formatters.get(timeZone);
}

// The zone's short name at that instant (CET in winter, CEST in summer). British English names European zones;
// American English names the American ones; where neither has a name, the offset ('GMT+5:30') is shown.
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(at).find((part) => part.type === 'timeZoneName')
      ?.value ?? '';
  const british = name('en-GB');
  if (!/^GMT[+-]/.test(british)) return british;
  const american = name('en-US');
  return /^GMT[+-]/.test(american) ? british : american;
}
