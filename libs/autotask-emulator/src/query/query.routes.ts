import type { Request, Response, Router } from 'express';
import { sendErrors, sendNoRoute } from '../http/autotask-errors';
import { ENTITY_FIELDS, ENTITY_NAMES, type AutotaskState, type EntityName, type WireRecord } from '../state/autotask-state';
import { compileFilter } from './filter';

type Registrar = Pick<Router, 'get' | 'post'>;

// Reads [ATURL][ATADV]: /{Entity}/query (GET ?search=<json> or POST), its nextPageUrl/prevPageUrl pages,
// /query/count and /{id}. Pages hold at most 500 records, ordered by id; the links carry the query and the ids at
// the page's edges, like Autotask's `paging={"pageSize":500,"previousIds":[…],"nextIds":[…]}` (KT).
export function registerQueryRoutes(router: Registrar, state: AutotaskState): void {
  router.get('/V1.0/:entity/query/count', (req, res) => count(state, req, res));
  router.post('/V1.0/:entity/query/count', (req, res) => count(state, req, res));
  for (const direction of ['next', 'prev'] as const) {
    router.get(`/V1.0/:entity/query/${direction}`, (req, res) => query(state, req, res, direction));
    router.post(`/V1.0/:entity/query/${direction}`, (req, res) => query(state, req, res, direction));
  }
  router.get('/V1.0/:entity/query', (req, res) => query(state, req, res, 'first'));
  router.post('/V1.0/:entity/query', (req, res) => query(state, req, res, 'first'));
  router.get('/V1.0/:entity/:id', (req, res) => {
    const entity = entityNamed(req.params.entity as string);
    if (!entity || !/^\d+$/.test(String(req.params.id))) return sendNoRoute(res, req.method, req.originalUrl, false);
    res.json({ item: state.find(entity, Number(req.params.id)) ?? null });
  });
}

export function entityNamed(name: string): EntityName | undefined {
  return ENTITY_NAMES.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
}

interface ParsedQuery {
  search: Record<string, unknown>;
  matches: WireRecord[];
  pageSize: number;
  includeFields?: string[];
}

function parseQuery(state: AutotaskState, req: Request, res: Response, entity: EntityName): ParsedQuery | undefined {
  const refuse = (message: string) => {
    sendErrors(res, state.settings.validationStatus, message);
    return undefined;
  };
  let search: unknown = req.method === 'POST' && req.body && Object.keys(req.body as object).length > 0 ? req.body : undefined;
  if (search === undefined && typeof req.query.search === 'string') {
    try {
      search = JSON.parse(req.query.search);
    } catch {
      return refuse('The search parameter is not valid JSON.');
    }
  }
  if (typeof search !== 'object' || search === null || Array.isArray(search))
    return refuse('A query needs a search object with a filter, e.g. {"filter":[{"op":"gte","field":"id","value":0}]}.');
  const body = Object.fromEntries(Object.entries(search as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value]));
  const fields = ENTITY_FIELDS[entity];
  const compiled = compileFilter(body.filter, fields);
  if (!compiled.ok) return refuse(compiled.error);
  const limit = state.settings.pageSize;
  const maxRecords = body.maxrecords;
  if (
    maxRecords !== undefined &&
    (typeof maxRecords !== 'number' || !Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > limit)
  ) {
    return refuse(`MaxRecords must be a whole number from 1 to ${limit}.`);
  }
  let includeFields: string[] | undefined;
  if (body.includefields !== undefined) {
    if (!Array.isArray(body.includefields)) return refuse('IncludeFields must be a list of field names.');
    includeFields = [];
    for (const name of body.includefields) {
      const field = fields.find((candidate) => typeof name === 'string' && candidate.toLowerCase() === name.toLowerCase());
      if (!field) return refuse(`IncludeFields: unable to find field "${String(name)}" on this entity.`);
      includeFields.push(field);
    }
  }
  const matches = state.rows(entity, contractIdsDemanded(body.filter)).filter(compiled.predicate);
  // [ATADV]: "For search results that contain more than 500 results, you must include Id as a field."
  if (includeFields && !includeFields.includes('id') && matches.length > limit)
    return refuse(`The query matches more than ${limit} records: IncludeFields must contain "id" to page through them.`);
  return { search: search as Record<string, unknown>, matches, pageSize: (maxRecords as number | undefined) ?? limit, includeFields };
}

function query(state: AutotaskState, req: Request, res: Response, direction: 'first' | 'next' | 'prev'): void {
  const entity = entityNamed(req.params.entity as string);
  if (!entity) return sendNoRoute(res, req.method, req.originalUrl, false);
  const parsed = parseQuery(state, req, res, entity);
  if (!parsed) return;
  const { matches, pageSize } = parsed;
  let start = 0;
  if (direction !== 'first') {
    let paging: { previousIds?: unknown; nextIds?: unknown };
    try {
      paging = JSON.parse(String(req.query.paging ?? ''));
    } catch {
      return sendErrors(res, state.settings.validationStatus, 'The paging parameter is not valid JSON.');
    }
    const edge = Number((direction === 'next' ? (paging.nextIds as unknown[]) : (paging.previousIds as unknown[]))?.[0]);
    if (!Number.isFinite(edge)) return sendErrors(res, state.settings.validationStatus, 'The paging parameter has no page edge.');
    if (direction === 'next') start = matches.findIndex((row) => row.id > edge);
    else {
      const before = matches.filter((row) => row.id < edge).length;
      start = Math.max(0, before - pageSize);
    }
    if (start === -1) start = matches.length;
  }
  const page = matches.slice(start, start + pageSize);
  const link = (kind: 'next' | 'prev') => {
    const paging = JSON.stringify({ pageSize, previousIds: [page[0]?.id], nextIds: [page[page.length - 1]?.id] });
    return `${state.zoneUrl}/V1.0/${entity}/query/${kind}?paging=${encodeURIComponent(paging)}&search=${encodeURIComponent(JSON.stringify(parsed.search))}`;
  };
  const items = parsed.includeFields ? page.map((row) => project(row, parsed.includeFields!)) : page;
  res.json({
    items,
    pageDetails: {
      count: items.length,
      requestCount: pageSize,
      prevPageUrl: start > 0 && page.length > 0 ? link('prev') : null,
      nextPageUrl: start + pageSize < matches.length && page.length > 0 ? link('next') : null,
    },
  });
}

function count(state: AutotaskState, req: Request, res: Response): void {
  const entity = entityNamed(req.params.entity as string);
  if (!entity) return sendNoRoute(res, req.method, req.originalUrl, false);
  const parsed = parseQuery(state, req, res, entity);
  if (parsed) res.json({ queryCount: parsed.matches.length });
}

function project(row: WireRecord, fields: string[]): WireRecord {
  const projected: WireRecord = { id: row.id };
  for (const field of fields) projected[field] = row[field] ?? null;
  return projected;
}

// The contract ids a filter's top level requires (contractID eq / in), if any: the rest of the filter still applies.
function contractIdsDemanded(filter: unknown): Set<number> | undefined {
  if (!Array.isArray(filter)) return undefined;
  for (const expression of filter) {
    if (typeof expression !== 'object' || expression === null) continue;
    const body = Object.fromEntries(
      Object.entries(expression as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value]),
    );
    if (typeof body.field !== 'string' || body.field.toLowerCase() !== 'contractid' || typeof body.op !== 'string') continue;
    const op = body.op.toLowerCase();
    if (op === 'eq') return new Set([Number(body.value)]);
    if (op === 'in' && Array.isArray(body.value)) return new Set(body.value.map(Number));
  }
  return undefined;
}
