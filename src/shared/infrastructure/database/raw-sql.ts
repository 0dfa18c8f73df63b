import type { EntityManager, Knex } from '@mikro-orm/postgresql';

// A SQL statement in the caller's transaction, if any (set-based writes and read models that the unit of work
// does not express well). `?` placeholders; a JS array binds as a list, so arrays travel as JSON instead.
export function rawSql<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

// rawSql with the values sent as bind parameters ($1…) instead of written into the statement's text: for set-based
// writes of megabytes of JSON, escaping it into the text (and PostgreSQL reading it back) cost more than the insert.
export async function boundSql<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = (await runner.raw(sql, params as Knex.RawBinding[])) as { rows: T[] };
  return result.rows;
}

// Raw queries return PostgreSQL's text for timestamptz ("2026-11-26 10:00:00.123+00"); MikroORM leaves it so.
export function sqlTime(value: string | Date): Date;
export function sqlTime(value: string | Date | null): Date | null;
export function sqlTime(value: string | Date | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

// A LIKE pattern that finds `text` anywhere, its own % _ and \ taken literally (PostgreSQL's default escape).
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
