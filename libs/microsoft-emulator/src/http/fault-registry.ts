import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { decodeJwt } from '../identity/jwt';

// The fault rules of the control API (POST /__emulator/faults), kept apart from the route hook that applies them
// (faults.ts) so the emulator's state holds them without depending on the routes.
export type FaultKind = 'status' | 'reset' | 'malformed' | 'latency';

// A rule of POST /__emulator/faults: which requests it hits and what happens to them.
export interface FaultRule {
  id: string;
  method: string; // GET, POST... or *
  path: string; // glob over the request path: * = one segment, ** = any number
  customerId?: string; // only requests about this customer (in the path, the token's tid, or the {tenant})
  kind: FaultKind;
  status?: number; // kind status: the HTTP status, answered with the service's own error body
  retryAfterSeconds?: number;
  latencyMs?: number; // delay before the fault (or, for kind latency, before the normal answer)
  remaining?: number; // count left; absent = until cleared
  hits: number;
}

export class FaultRegistry {
  private rules: (FaultRule & { pattern: RegExp })[] = [];

  add(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] } {
    const parsed = parseRule(input);
    if (!parsed.ok) return parsed;
    this.rules.push({ ...parsed.rule, pattern: globToRegExp(parsed.rule.path) });
    return parsed;
  }

  list(): FaultRule[] {
    return this.rules.map(({ pattern: _pattern, ...rule }) => rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  // The first matching rule, counted down (and dropped once its count is used up).
  take(req: Request): FaultRule | undefined {
    const index = this.rules.findIndex((rule) => matches(rule, req));
    if (index === -1) return undefined;
    const rule = this.rules[index];
    rule.hits += 1;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules.splice(index, 1);
    }
    const { pattern: _pattern, ...copy } = rule;
    return copy;
  }
}

function matches(rule: FaultRule & { pattern: RegExp }, req: Request): boolean {
  if (rule.method !== '*' && rule.method !== req.method) return false;
  if (!rule.pattern.test(req.path)) return false;
  if (!rule.customerId) return true;
  const wanted = rule.customerId.toLowerCase();
  if (req.path.toLowerCase().split('/').includes(wanted)) return true;
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const tid = token ? decodeJwt(token)?.claims.tid : undefined;
  return typeof tid === 'string' && tid.toLowerCase() === wanted;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => part.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

function parseRule(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['A fault must be a JSON object.'] };
  const body = input as Record<string, unknown>;
  const known = ['method', 'path', 'customerId', 'kind', 'status', 'count', 'retryAfterSeconds', 'latencyMs'];
  for (const name of Object.keys(body)) if (!known.includes(name)) errors.push(`Unknown field "${name}".`);
  const method = body.method === undefined ? '*' : String(body.method).toUpperCase();
  if (typeof body.path !== 'string' || !body.path.startsWith('/')) errors.push('"path" must be a path glob starting with "/", e.g. "/v1/customers/*/subscribedskus".');
  if (body.customerId !== undefined && typeof body.customerId !== 'string') errors.push('"customerId" must be a string.');
  const status = body.status;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)) errors.push('"status" must be an HTTP error status (400-599).');
  const kinds: FaultKind[] = ['status', 'reset', 'malformed', 'latency'];
  const kind = (body.kind ?? (status !== undefined ? 'status' : body.latencyMs !== undefined ? 'latency' : undefined)) as FaultKind | undefined;
  if (!kind || !kinds.includes(kind)) errors.push(`"kind" must be one of ${kinds.join(', ')} (or give "status" or "latencyMs").`);
  for (const name of ['count', 'retryAfterSeconds', 'latencyMs'] as const) {
    const value = body[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < (name === 'count' ? 1 : 0))) {
      errors.push(`"${name}" must be a ${name === 'count' ? 'positive' : 'non-negative'} integer.`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      id: randomUUID(),
      method,
      path: body.path as string,
      ...(body.customerId ? { customerId: body.customerId as string } : {}),
      kind: kind!,
      ...(status !== undefined ? { status: status as number } : {}),
      ...(body.retryAfterSeconds !== undefined ? { retryAfterSeconds: body.retryAfterSeconds as number } : {}),
      ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs as number } : {}),
      ...(body.count !== undefined ? { remaining: body.count as number } : {}),
      hits: 0,
    },
  };
}
