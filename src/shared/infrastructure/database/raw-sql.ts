import type { EntityManager } from '@mikro-orm/postgresql';

// A SQL statement in the caller's transaction, if any (set-based writes and read models that the unit of work
// does not express well). `?` placeholders; a JS array binds as a list, so arrays travel as JSON instead.
export function rawSql<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
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
