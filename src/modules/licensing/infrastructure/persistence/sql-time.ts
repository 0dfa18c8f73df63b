// Raw queries return PostgreSQL's text for timestamptz ("2026-11-26 10:00:00.123+00"); MikroORM leaves it so.
export function sqlTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
