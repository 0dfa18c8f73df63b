import type { Request, Response } from 'express';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { compileConditions, ConditionsError, valueAt } from './conditions';
import { CW_ERRORS, sendFrom } from './cw-error';

// Collections the ConnectWise way (CWDOC PSA-Pagination, CWREST, LAZY):
// - navigable: ?page (from 1) & pageSize (default 25, at most 1000), Link header with absolute first/prev/next/last
//   URLs keeping the other query parameters; no Link header when everything fits on one page;
// - forward-only: header `pagination-type: forward-only`, ?pageId acting as `id > pageId`, id order; the Link header
//   carries only rel="next" with pageId = the page's last id, and is present but empty on the last page (CTC's
//   client tests for the header and stops on an empty one: assumed to be how ConnectWise ends the walk);
// - conditions (400 on an unknown field), orderBy "field asc|desc, …", fields "a,b" (partial records).
export function sendList(
  req: Request,
  res: Response,
  state: ConnectWiseEmulatorState,
  records: Record<string, unknown>[],
  knownFields: ReadonlySet<string>,
): void {
  const query = req.query as Record<string, unknown>;
  let items = records;
  const conditions = single(query.conditions);
  if (conditions) {
    try {
      const predicate = compileConditions(conditions, knownFields);
      items = items.filter(predicate);
    } catch (error) {
      if (error instanceof ConditionsError) return sendFrom(res, CW_ERRORS.badConditions(error.message));
      throw error;
    }
  }

  const pageSize = parsePositive(single(query.pageSize) ?? single(query.pagesize), state.settings.defaultPageSize);
  if (pageSize === undefined) return sendFrom(res, CW_ERRORS.badRequest('pageSize must be a positive whole number.'));
  const size = Math.min(pageSize, state.settings.maxPageSize);
  const forwardOnly = (req.get('pagination-type') ?? '').toLowerCase() === 'forward-only';

  if (forwardOnly) {
    const pageIdText = single(query.pageId) ?? single(query.pageid);
    const pageId = pageIdText === undefined ? 0 : Number(pageIdText);
    if (!Number.isInteger(pageId)) return sendFrom(res, CW_ERRORS.badRequest('pageId must be a whole number.'));
    const ordered = [...items].sort((a, b) => Number(a.id) - Number(b.id)).filter((item) => Number(item.id) > pageId);
    const page = ordered.slice(0, size);
    const more = ordered.length > page.length && page.length > 0;
    res.set(
      'Link',
      more ? `<${linkTo(req, state, { pageId: String(page[page.length - 1].id), pageSize: String(size) }, ['page'])}>; rel="next"` : '',
    );
    return void res.json(page.map((item) => project(item, single(query.fields))));
  }

  const orderBy = single(query.orderBy) ?? single(query.orderby);
  if (orderBy) {
    const keys = orderBy.split(',').map((part) => {
      const [field, direction] = part.trim().split(/\s+/);
      return { field, descending: direction?.toLowerCase() === 'desc' };
    });
    const unknown = keys.find((key) => !knownFields.has(key.field.toLowerCase()));
    if (unknown) return sendFrom(res, CW_ERRORS.badConditions(`Unknown field "${unknown.field}" in orderBy.`));
    items = [...items].sort((a, b) => {
      for (const key of keys) {
        const order = compareValues(valueAt(a, key.field), valueAt(b, key.field));
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
  }

  const page = parsePositive(single(query.page), 1);
  if (page === undefined) return sendFrom(res, CW_ERRORS.badRequest('page must be a positive whole number.'));
  const last = Math.max(1, Math.ceil(items.length / size));
  if (last > 1) {
    const links: string[] = [];
    const to = (n: number) => linkTo(req, state, { page: String(n), pageSize: String(size) }, ['pageId']);
    if (page > 1) links.push(`<${to(1)}>; rel="first"`, `<${to(Math.min(page - 1, last))}>; rel="prev"`);
    if (page < last) links.push(`<${to(page + 1)}>; rel="next"`, `<${to(last)}>; rel="last"`);
    if (links.length > 0) res.set('Link', links.join(', '));
  }
  res.json(items.slice((page - 1) * size, page * size).map((item) => project(item, single(query.fields))));
}

export function sendCount(req: Request, res: Response, records: Record<string, unknown>[], knownFields: ReadonlySet<string>): void {
  const conditions = single((req.query as Record<string, unknown>).conditions);
  try {
    const count = conditions ? records.filter(compileConditions(conditions, knownFields)).length : records.length;
    res.json({ count });
  } catch (error) {
    if (error instanceof ConditionsError) return sendFrom(res, CW_ERRORS.badConditions(error.message));
    throw error;
  }
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[0]);
  return typeof value === 'string' ? value : undefined;
}

function parsePositive(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function linkTo(req: Request, state: ConnectWiseEmulatorState, set: Record<string, string>, drop: string[]): string {
  const url = new URL(req.originalUrl, state.baseUrl);
  for (const name of drop) url.searchParams.delete(name);
  for (const [name, value] of Object.entries(set)) url.searchParams.set(name, value);
  // Spaces as %20, like ConnectWise's own links (URLSearchParams would write +).
  return `${state.baseUrl}${url.pathname}?${url.searchParams.toString().replace(/\+/g, '%20')}`;
}

function project(item: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return item;
  const wanted = fields
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const result: Record<string, unknown> = {};
  for (const field of wanted) {
    const [head, ...rest] = field.split('/');
    const key = Object.keys(item).find((name) => name.toLowerCase() === head.toLowerCase());
    if (key === undefined) continue;
    if (rest.length === 0) result[key] = item[key];
    else {
      const child = item[key];
      if (typeof child === 'object' && child !== null) {
        const nested = project(child as Record<string, unknown>, rest.join('/'));
        result[key] = { ...((result[key] as Record<string, unknown>) ?? {}), ...nested };
      }
    }
  }
  return result;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a).toLowerCase();
  const right = String(b).toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

// Every field path a resource knows, lower case, for conditions and orderBy checks.
export function fieldsOf(sample: Record<string, unknown>, extra: string[] = []): ReadonlySet<string> {
  const fields = new Set<string>(extra.map((field) => field.toLowerCase()));
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      const path = `${prefix}${key}`.toLowerCase();
      fields.add(path);
      if (typeof child === 'object' && child !== null && !Array.isArray(child) && key !== '_info')
        walk(child as Record<string, unknown>, `${path}/`);
    }
  };
  walk(sample, '');
  return fields;
}
