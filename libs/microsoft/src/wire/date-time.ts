// Microsoft timestamps as they arrive: Graph sends 7 fractional digits ("2022-03-07T22:55:18.6780449Z"),
// some bodies omit the zone (Graph innerError "2020-08-18T12:51:51", meant as UTC), and Partner Center's
// documented subscription sample prints "2015-11-25T06: 41: 12Z" with stray spaces. Anything else: undefined.
export function parseMicrosoftDateTime(value: string | null | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.trim().replace(/\s*:\s*/g, ':');
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(compact);
  if (!match) return undefined;
  const [, date, time, zone] = match;
  const iso = time ? `${date}T${time}${zone ?? 'Z'}` : `${date}T00:00:00Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
