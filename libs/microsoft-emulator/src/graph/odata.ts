import type { Request } from 'express';
import { param } from '../identity/authorize-request';
import type { EmulatorState } from '../state/emulator-state';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface PageRequest {
  top: number;
  offset: number;
}

// $top and $skiptoken. The skiptoken is opaque to clients (they follow @odata.nextLink verbatim).
export function parsePaging(req: Request, defaultTop: number, maxTop: number): Parsed<PageRequest> {
  const query = req.query as Record<string, unknown>;
  const rawTop = param(query, '$top');
  const top = rawTop === undefined ? defaultTop : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > maxTop) {
    return { ok: false, message: `Invalid page size specified: '${rawTop}'. Must be between 1 and ${maxTop} inclusive.` };
  }
  const rawSkip = param(query, '$skiptoken') ?? param(query, '$skipToken');
  if (rawSkip === undefined) return { ok: true, value: { top, offset: 0 } };
  const offset = decodeSkipToken(rawSkip);
  if (offset === undefined) return { ok: false, message: 'The $skiptoken is not valid.' };
  return { ok: true, value: { top, offset } };
}

// Absolute, like Microsoft's: same path and query with a new $skiptoken.
export function nextLink(state: EmulatorState, req: Request, offset: number): string {
  const url = new URL(req.originalUrl, state.baseUrl);
  url.searchParams.delete('$skipToken');
  url.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset })).toString('base64url'));
  return `${state.baseUrl}${url.pathname}?${url.searchParams.toString().replace(/%24/g, '$')}`;
}

function decodeSkipToken(token: string): number | undefined {
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

// One page of a collection, with @odata.nextLink when more items follow.
export function collectionPage<T>(
  state: EmulatorState,
  req: Request,
  context: string,
  items: T[],
  page: PageRequest,
  map: (item: T) => unknown,
): Record<string, unknown> {
  const slice = items.slice(page.offset, page.offset + page.top);
  const more = page.offset + page.top < items.length;
  return {
    '@odata.context': context,
    ...(more ? { '@odata.nextLink': nextLink(state, req, page.offset + page.top) } : {}),
    value: slice.map(map),
  };
}

// The $filter subset the emulator understands: `path eq 'value'` clauses joined by `and`
// (e.g. status eq 'active' and customer/tenantId eq '...').
export function parseEqualityFilter<T>(
  raw: string | undefined,
  fields: Record<string, (item: T) => string | null | undefined>,
): Parsed<(item: T) => boolean> {
  if (raw === undefined || raw.trim() === '') return { ok: true, value: () => true };
  const clauses: ((item: T) => boolean)[] = [];
  for (const clause of raw.split(/\s+and\s+/i)) {
    const match = /^\s*([\w/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    const getter = match && Object.entries(fields).find(([name]) => name.toLowerCase() === match[1].toLowerCase())?.[1];
    if (!match || !getter) return { ok: false, message: `Invalid filter clause: '${clause.trim()}'.` };
    const value = match[2].replace(/''/g, "'").toLowerCase();
    clauses.push((item) => (getter(item) ?? '').toLowerCase() === value);
  }
  return { ok: true, value: (item) => clauses.every((matches) => matches(item)) };
}
