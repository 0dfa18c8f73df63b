import type { WireRecord } from '../state/autotask-state';

// Autotask's query filter [ATSW][ATQ]: leaves {op, field, value, udf} and groups {op: "and"|"or", items: […]}; the
// top-level list is AND-ed. Field names are matched case-insensitively (KT's examples write "isactive"), strings
// compare case-insensitively (SQL Server's default collation; assumed), dates as instants.
export type Predicate = (row: WireRecord) => boolean;
export type Compiled = { ok: true; predicate: Predicate } | { ok: false; error: string };

const COMPARISONS = ['eq', 'noteq', 'gt', 'gte', 'lt', 'lte', 'beginswith', 'endswith', 'contains', 'exist', 'notexist', 'in', 'notin'];

export function compileFilter(filter: unknown, fields: string[]): Compiled {
  if (!Array.isArray(filter) || filter.length === 0)
    return { ok: false, error: 'A query needs a filter: at least one filter expression, e.g. {"op":"gte","field":"id","value":0}.' };
  const parts: Predicate[] = [];
  for (const expression of filter) {
    const compiled = compileExpression(expression, fields);
    if (!compiled.ok) return compiled;
    parts.push(compiled.predicate);
  }
  return { ok: true, predicate: (row) => parts.every((part) => part(row)) };
}

function compileExpression(expression: unknown, fields: string[]): Compiled {
  if (typeof expression !== 'object' || expression === null || Array.isArray(expression))
    return { ok: false, error: 'Each filter expression must be an object with "op".' };
  const body = lowerKeys(expression as Record<string, unknown>);
  const op = typeof body.op === 'string' ? body.op.toLowerCase() : '';
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(body.items) || body.items.length === 0)
      return { ok: false, error: `An "${op}" group needs a non-empty "items" list.` };
    const parts: Predicate[] = [];
    for (const item of body.items) {
      const compiled = compileExpression(item, fields);
      if (!compiled.ok) return compiled;
      parts.push(compiled.predicate);
    }
    return { ok: true, predicate: op === 'and' ? (row) => parts.every((part) => part(row)) : (row) => parts.some((part) => part(row)) };
  }
  if (!COMPARISONS.includes(op)) return { ok: false, error: `Unknown filter operator "${String(body.op)}".` };
  if (body.udf === true) return { ok: false, error: 'User-defined fields are not available on this entity.' };
  const field = fields.find((candidate) => typeof body.field === 'string' && candidate.toLowerCase() === body.field.toLowerCase());
  if (!field) return { ok: false, error: `Unable to find field "${String(body.field)}" on this entity.` };
  const value = body.value;
  if (op === 'exist') return { ok: true, predicate: (row) => row[field] !== null && row[field] !== undefined && row[field] !== '' };
  if (op === 'notexist') return { ok: true, predicate: (row) => row[field] === null || row[field] === undefined || row[field] === '' };
  if (op === 'in' || op === 'notin') {
    if (!Array.isArray(value) || value.length === 0)
      return { ok: false, error: `"${op === 'in' ? 'in' : 'notIn'}" needs a non-empty list as its value.` };
    const test: Predicate = (row) => value.some((candidate) => compare(row[field], candidate) === 0);
    return { ok: true, predicate: op === 'in' ? test : (row) => !test(row) };
  }
  if (value === undefined || Array.isArray(value) || (typeof value === 'object' && value !== null))
    return { ok: false, error: `Filter "${op}" on "${field}" needs a single value.` };
  if (isBooleanField(field) && typeof value !== 'boolean' && !(typeof value === 'string' && /^(true|false)$/i.test(value))) {
    return { ok: false, error: `Boolean field "${field}" takes true or false.` };
  }
  switch (op) {
    case 'eq':
      return { ok: true, predicate: (row) => compare(row[field], value) === 0 };
    case 'noteq':
      return { ok: true, predicate: (row) => compare(row[field], value) !== 0 };
    case 'gt':
      return { ok: true, predicate: (row) => order(row[field], value) > 0 };
    case 'gte':
      return { ok: true, predicate: (row) => order(row[field], value) >= 0 };
    case 'lt':
      return { ok: true, predicate: (row) => order(row[field], value) < 0 };
    case 'lte':
      return { ok: true, predicate: (row) => order(row[field], value) <= 0 };
    case 'beginswith':
      return { ok: true, predicate: (row) => text(row[field]).startsWith(text(value)) };
    case 'endswith':
      return { ok: true, predicate: (row) => text(row[field]).endsWith(text(value)) };
    default:
      return { ok: true, predicate: (row) => text(row[field]).includes(text(value)) };
  }
}

function isBooleanField(field: string): boolean {
  return /^(is[A-Z]|allowRepeatService)/.test(field);
}

function lowerKeys(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value]));
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).toLowerCase();
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

// 0 when equal; NaN when the two cannot be compared (a null field matches nothing but noteq).
function compare(actual: unknown, wanted: unknown): number {
  if (actual === null || actual === undefined) return wanted === null ? 0 : NaN;
  if (typeof actual === 'boolean')
    return actual === (wanted === true || (typeof wanted === 'string' && wanted.toLowerCase() === 'true')) ? 0 : 1;
  return order(actual, wanted);
}

function order(actual: unknown, wanted: unknown): number {
  if (actual === null || actual === undefined || wanted === null || wanted === undefined) return NaN;
  if (typeof actual === 'number') {
    const number = Number(wanted);
    return Number.isNaN(number) ? NaN : actual - number;
  }
  if (typeof actual === 'string' && DATE.test(actual) && typeof wanted === 'string' && DATE.test(wanted)) {
    return Date.parse(withZone(actual)) - Date.parse(withZone(wanted));
  }
  const a = text(actual);
  const b = text(wanted);
  return a < b ? -1 : a > b ? 1 : 0;
}

// Autotask takes date-times without a zone as UTC [ATINTRO].
function withZone(value: string): string {
  if (!value.includes('T')) return `${value}T00:00:00Z`;
  return /Z$|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
}
