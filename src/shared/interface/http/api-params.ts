import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiParam, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { isGuid } from '../../domain/guid';
import { InvalidParameterError } from './partner-api';
import { ProblemResponse } from './problem.dto';

// The partner API reads every query and path parameter through these parsers: each parameter is documented and
// checked in one place, a value it cannot use is a 400 naming the parameter (never a 500 from deeper down), and
// a parameter it does not know is a 400 too (a misspelt filter must not silently return everything).

export interface QueryParam<T> {
  // How the OpenAPI document describes the parameter (every query parameter is optional).
  doc: { description: string; schema: SchemaObject; example?: unknown };
  parse(value: string | undefined, field: string): T;
}

export type QuerySpec = Record<string, QueryParam<unknown>>;
export type ParsedQuery<S extends QuerySpec> = { [K in keyof S]: S[K] extends QueryParam<infer T> ? T : never };

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export function limitParam(): QueryParam<number> {
  return {
    doc: {
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
      description: `Items per page, 1 to ${MAX_LIMIT}.`,
      example: 50,
    },
    parse(value, field) {
      if (value === undefined) return DEFAULT_LIMIT;
      const limit = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
      if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new InvalidParameterError(field, `must be a whole number from 1 to ${MAX_LIMIT}`);
      return limit;
    },
  };
}

export function textParam(description: string, maxLength = 200): QueryParam<string | undefined> {
  return {
    doc: { schema: { type: 'string', maxLength }, description },
    parse(value, field) {
      if (value === undefined || value.trim() === '') return undefined;
      if (value.length > maxLength) throw new InvalidParameterError(field, `must be at most ${maxLength} characters`);
      return value.trim();
    },
  };
}

export function guidParam(description: string): QueryParam<string | undefined> {
  return {
    doc: { schema: { type: 'string', format: 'uuid' }, description },
    parse: (value, field) => (value === undefined ? undefined : parseGuid(field, value)),
  };
}

export function enumParam<V extends string>(values: readonly V[], description: string): QueryParam<V | undefined> {
  return {
    doc: { schema: { type: 'string', enum: [...values] }, description },
    parse(value, field) {
      if (value === undefined) return undefined;
      if (!values.includes(value as V)) throw new InvalidParameterError(field, `must be one of ${values.join(', ')}`);
      return value as V;
    },
  };
}

export function flagParam(description: string): QueryParam<boolean> {
  return {
    doc: { schema: { type: 'boolean', default: false }, description },
    parse(value, field) {
      if (value === undefined || value === 'false') return false;
      if (value === 'true') return true;
      throw new InvalidParameterError(field, 'must be true or false');
    },
  };
}

export function timeParam(description: string): QueryParam<Date | undefined> {
  return {
    doc: { schema: { type: 'string', format: 'date-time' }, description, example: '2026-11-01T00:00:00Z' },
    parse: (value, field) => (value === undefined ? undefined : parseTime(field, value)),
  };
}

export function cursorParam(codec: CursorCodec): QueryParam<string[] | null> {
  return {
    doc: { schema: { type: 'string' }, description: 'The `nextCursor` of the previous page; omit it for the first page.' },
    parse: (value, field) => (value === undefined || value === '' ? null : codec.decode(value, field)),
  };
}

// Reads a query string against its spec. Express hands a repeated parameter over as an array: one value each.
export function parseQuery<S extends QuerySpec>(spec: S, raw: Record<string, unknown>): ParsedQuery<S> {
  return parseFields(spec, raw, 'must be given once, as a single value');
}

// Reads a JSON body of string fields against its spec (an empty body is no fields).
export function parseBody<S extends QuerySpec>(spec: S, body: unknown): ParsedQuery<S> {
  if (body === undefined || body === null) return parseFields(spec, {}, '');
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('body', 'must be a JSON object');
  return parseFields(spec, body as Record<string, unknown>, 'must be a string');
}

function parseFields<S extends QuerySpec>(spec: S, raw: Record<string, unknown>, notText: string): ParsedQuery<S> {
  const unknown = Object.keys(raw).find((name) => !Object.hasOwn(spec, name));
  if (unknown !== undefined)
    throw new InvalidParameterError(unknown, `is not a parameter of this operation (it takes ${Object.keys(spec).join(', ') || 'none'})`);
  const parsed: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(spec)) {
    const value = raw[name];
    if (value !== undefined && typeof value !== 'string') throw new InvalidParameterError(name, notText);
    parsed[name] = param.parse(value, name);
  }
  return parsed as ParsedQuery<S>;
}

// Documents every parameter of a spec in the OpenAPI document (the spec the handler parses with).
export function ApiQueryParams(spec: QuerySpec): MethodDecorator {
  return applyDecorators(...Object.entries(spec).map(([name, param]) => ApiQuery({ name, required: false, ...param.doc })));
}

// The 400 every partner API operation can answer.
export function ApiInvalidParameterResponse(): MethodDecorator {
  return ApiBadRequestResponse({
    type: ProblemResponse,
    description: 'A parameter has a value the API cannot use, or is not one it takes (code API.INVALID_PARAMETER; `field` names it).',
  });
}

export function ApiGuidParam(name: string, description: string): MethodDecorator {
  return ApiParam({ name, description, schema: { type: 'string', format: 'uuid' }, example: '8d5f3c4e-2a1b-4c6d-9e8f-0a1b2c3d4e5f' });
}

export function parseGuid(field: string, value: unknown): string {
  if (!isGuid(value)) throw new InvalidParameterError(field, 'must be a GUID such as 8d5f3c4e-2a1b-4c6d-9e8f-0a1b2c3d4e5f');
  return value.toLowerCase();
}

// RFC 3339 date-time with a time zone (a time without one would be read in the server's zone).
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseTime(field: string, value: string): Date {
  const time = ISO_TIME.test(value) ? new Date(value) : null;
  if (!time || Number.isNaN(time.getTime()))
    throw new InvalidParameterError(field, 'must be an ISO 8601 date-time with a time zone, such as 2026-11-01T00:00:00Z');
  return time;
}

// What a cursor position holds: text, a GUID, or an exact PostgreSQL timestamp (microseconds, UTC).
export type CursorPart = 'text' | 'guid' | 'time';
const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

// Keyset cursors: the sort key of the last item a page returned, opaque to callers (base64url JSON tagged with
// the list it belongs to). The next page starts strictly after that key, so rows inserted or changed meanwhile
// neither repeat nor push others out. Decoding checks every part, since a cursor is caller input like any other.
export class CursorCodec {
  constructor(
    private readonly list: string,
    private readonly parts: readonly CursorPart[],
  ) {}

  encode(key: readonly string[]): string {
    return Buffer.from(JSON.stringify([this.list, ...key])).toString('base64url');
  }

  decode(cursor: string, field = 'cursor'): string[] {
    const invalid = () =>
      new InvalidParameterError(field, 'is not a cursor this list handed out; pass the nextCursor of the previous page unchanged');
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!Array.isArray(decoded) || decoded.length !== this.parts.length + 1 || decoded[0] !== this.list) throw invalid();
    const key = decoded.slice(1);
    const valid = this.parts.every((part, i) => {
      const value: unknown = key[i];
      if (typeof value !== 'string' || value.length > 1000) return false;
      return part === 'text' || (part === 'guid' ? isGuid(value) : EXACT_TIME.test(value) && !Number.isNaN(Date.parse(value)));
    });
    if (!valid) throw invalid();
    return key as string[];
  }

  // A page as the API answers it, each item mapped to its response shape; `nextCursor` is null on the last page.
  page<T, R>(page: { items: T[]; next: readonly string[] | null }, map: (item: T) => R): { items: R[]; nextCursor: string | null } {
    return { items: page.items.map(map), nextCursor: page.next ? this.encode(page.next) : null };
  }
}
