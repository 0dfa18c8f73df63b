import { randomUUID } from 'node:crypto';

// Injected failures (POST /__emulator/faults or emulator.addFault):
// - status: answer this HTTP status with ConnectWise's body for it (401, 404, 429 + Retry-After, 500, 503…);
// - badAuth404: the 404 ConnectWise cloud gives for wrong credentials, whatever the request's credentials;
// - reset: drop the connection without an answer;
// - latency: only delay (latencyMs also delays any other kind).
export type FaultKind = 'status' | 'badAuth404' | 'reset' | 'latency';

export interface FaultRule {
  id: string;
  method: string; // GET, POST… or *
  path: string; // glob over the path below /apis/3.0 (or the full path for /login/…): * one segment, ** any
  kind: FaultKind;
  status?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  remaining?: number; // count left; absent = until cleared
  hits: number;
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'hits' | 'remaining'>> & { path: string; count?: number };

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

  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex((rule) => (rule.method === '*' || rule.method === method) && rule.pattern.test(path));
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

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => part.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

function parseRule(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['A fault must be a JSON object.'] };
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  const known = ['method', 'path', 'kind', 'status', 'count', 'retryAfterSeconds', 'latencyMs'];
  for (const name of Object.keys(body)) if (!known.includes(name)) errors.push(`Unknown field "${name}".`);
  if (typeof body.path !== 'string' || !body.path.startsWith('/')) errors.push('"path" must be a glob starting with "/", e.g. "/finance/agreements/*/additions".');
  const status = body.status;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)) errors.push('"status" must be an HTTP error status (400-599).');
  const kinds: FaultKind[] = ['status', 'badAuth404', 'reset', 'latency'];
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
      method: body.method === undefined ? '*' : String(body.method).toUpperCase(),
      path: body.path as string,
      kind: kind!,
      ...(status !== undefined ? { status: status as number } : {}),
      ...(body.retryAfterSeconds !== undefined ? { retryAfterSeconds: body.retryAfterSeconds as number } : {}),
      ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs as number } : {}),
      ...(body.count !== undefined ? { remaining: body.count as number } : {}),
      hits: 0,
    },
  };
}
