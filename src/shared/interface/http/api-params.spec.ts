import {
  CursorCodec,
  cursorParam,
  enumParam,
  flagParam,
  guidParam,
  limitParam,
  parseBody,
  parseQuery,
  parseTime,
  textParam,
  timeParam,
} from './api-params';
import { InvalidParameterError } from './partner-api';

const GUID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const TENANTS = new CursorCodec('tenants', ['text', 'guid']);
const SPEC = {
  limit: limitParam(),
  cursor: cursorParam(TENANTS),
  q: textParam('search', 10),
  gdap: enumParam(['ok', 'expired'], 'status'),
  failed: flagParam('failed'),
  tenantId: guidParam('tenant'),
  since: timeParam('since'),
};

function fieldOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidParameterError) return error.field;
    throw error;
  }
  return undefined;
}

describe('partner API parameters', () => {
  it('reads a query with defaults for what is missing', () => {
    expect(parseQuery(SPEC, {})).toEqual({
      limit: 50,
      cursor: null,
      q: undefined,
      gdap: undefined,
      failed: false,
      tenantId: undefined,
      since: undefined,
    });
    expect(
      parseQuery(SPEC, {
        limit: '200',
        q: ' coho ',
        gdap: 'ok',
        failed: 'true',
        tenantId: GUID.toUpperCase(),
        since: '2026-11-01T00:00:00+01:00',
      }),
    ).toEqual({
      limit: 200,
      cursor: null,
      q: 'coho',
      gdap: 'ok',
      failed: true,
      tenantId: GUID,
      since: new Date('2026-10-31T23:00:00Z'),
    });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: '' }, 'limit'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ q: 'x'.repeat(11) }, 'q'],
    [{ gdap: 'OK' }, 'gdap'],
    [{ failed: '1' }, 'failed'],
    [{ tenantId: 'coho' }, 'tenantId'],
    [{ since: '2026-11-01' }, 'since'],
    [{ since: '2026-11-01T00:00:00' }, 'since'],
    [{ since: '2026-13-01T00:00:00Z' }, 'since'],
    [{ cursor: 'not a cursor' }, 'cursor'],
    [{ page: '2' }, 'page'],
    [{ 'limit[]': '2' }, 'limit[]'],
  ])('refuses %j, naming %s', (raw, field) => {
    expect(fieldOf(() => parseQuery(SPEC, raw))).toBe(field);
  });

  it('reads a JSON body of string fields, refusing anything else', () => {
    const spec = { delegatedAdminId: guidParam('admin') };
    expect(parseBody(spec, undefined)).toEqual({ delegatedAdminId: undefined });
    expect(parseBody(spec, {})).toEqual({ delegatedAdminId: undefined });
    expect(parseBody(spec, { delegatedAdminId: GUID })).toEqual({ delegatedAdminId: GUID });
    expect(fieldOf(() => parseBody(spec, { delegatedAdminId: 7 }))).toBe('delegatedAdminId');
    expect(fieldOf(() => parseBody(spec, { tenantId: GUID }))).toBe('tenantId');
    expect(fieldOf(() => parseBody(spec, [GUID]))).toBe('body');
    expect(fieldOf(() => parseBody(spec, 'text'))).toBe('body');
  });

  it('reads ISO 8601 instants with a zone only', () => {
    expect(parseTime('since', '2026-11-01T10:00Z')).toEqual(new Date('2026-11-01T10:00:00Z'));
    expect(parseTime('since', '2026-11-01T10:00:00.123456Z').toISOString()).toBe('2026-11-01T10:00:00.123Z');
    expect(fieldOf(() => parseTime('since', 'yesterday'))).toBe('since');
  });

  describe('cursors', () => {
    it('round-trip the key of a page, opaque to callers', () => {
      const cursor = TENANTS.encode(['coho winery', GUID]);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(TENANTS.decode(cursor)).toEqual(['coho winery', GUID]);
      expect(TENANTS.page({ items: [1, 2], next: ['coho winery', GUID] }, (n) => n * 10)).toEqual({ items: [10, 20], nextCursor: cursor });
      expect(TENANTS.page({ items: [1], next: null }, (n) => n)).toEqual({ items: [1], nextCursor: null });
    });

    it('refuse a cursor that was changed, cut, or handed out by another list', () => {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const cursor = TENANTS.encode(['coho winery', GUID]);
      const changes = new CursorCodec('changes', ['time', 'guid']);
      for (const bad of [
        cursor.slice(0, -2),
        `${cursor}!`,
        encode(['tenants', 'coho winery', 'not-a-guid']),
        encode(['tenants', 'coho winery']),
        encode(['tenants', 'coho winery', GUID, 'extra']),
        encode(['tenants', 42, GUID]),
        encode({ list: 'tenants' }),
        changes.encode(['2026-11-01T00:00:00.000000Z', GUID]),
        'x'.repeat(3000),
      ]) {
        expect([bad.slice(0, 40), fieldOf(() => TENANTS.decode(bad))]).toEqual([bad.slice(0, 40), 'cursor']);
      }
      // Times in a cursor are PostgreSQL's exact text (microseconds), never a rounded JavaScript date.
      expect(changes.decode(changes.encode(['2026-11-01T00:00:00.123456Z', GUID]))).toEqual(['2026-11-01T00:00:00.123456Z', GUID]);
      expect(fieldOf(() => changes.decode(changes.encode(['2026-11-01T00:00:00.123Z', GUID])))).toBe('cursor');
    });
  });
});
