import { randomUUID } from 'node:crypto';

// A fault rule of an emulator's control API: which requests it hits (method, path glob, and whatever an emulator
// adds through `alsoMatches`) and what happens to them (`kind`, the emulator's own list).
export interface FaultRule<Kind extends string = string> {
  id: string;
  method: string; // GET, POST… or *
  path: string; // glob over the emulator's path: * = one segment, ** = any number; case-insensitive
  kind: Kind;
  status?: number; // kind status: the HTTP status, answered with the emulated system's own error body
  retryAfterSeconds?: number;
  latencyMs?: number; // delay before the fault (or, for kind latency, before the normal answer)
  remaining?: number; // count left; absent = until cleared
  hits: number;
}

// What differs between the emulators' rules; everything else (parsing, matching, count-down) is the same.
export interface FaultRegistryOptions<Rule extends FaultRule, Context> {
  kinds: readonly Rule['kind'][];
  kindsWording?: string; // how the "kind" error names them; default "one of a, b, c"
  pathExample: string; // in the "path" error, e.g. "/V1.0/ContractServiceAdjustments"
  pathWording?: string; // default "a glob"
  stringFields?: readonly Exclude<keyof Rule & string, keyof FaultRule>[]; // optional string fields of this emulator
  alsoMatches?: (rule: Rule, context: Context) => boolean; // checked after method and path
}

type Parsed<Rule> = { ok: true; rule: Rule } | { ok: false; errors: string[] };

export class FaultRegistry<Rule extends FaultRule = FaultRule, Context = undefined> {
  private rules: (Rule & { pattern: RegExp })[] = [];

  constructor(private readonly options: FaultRegistryOptions<Rule, Context>) {}

  add(input: unknown): Parsed<Rule> {
    const parsed = parseRule(input, this.options);
    if (!parsed.ok) return parsed;
    this.rules.push({ ...parsed.rule, pattern: globToRegExp(parsed.rule.path) });
    return parsed;
  }

  // For the emulators' in-process API (emulator.addFault): a bad rule is the test's bug, so it throws.
  addOrThrow(input: unknown): Rule {
    const added = this.add(input);
    if (!added.ok) throw new Error(`Invalid fault: ${added.errors.join(' ')}`);
    return added.rule;
  }

  list(): Rule[] {
    return this.rules.map(({ pattern: _pattern, ...rule }) => rule as unknown as Rule);
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
  take(method: string, path: string, context?: Context): Rule | undefined {
    const index = this.rules.findIndex(
      (rule) =>
        (rule.method === '*' || rule.method === method) &&
        rule.pattern.test(path) &&
        (!this.options.alsoMatches || this.options.alsoMatches(rule, context as Context)),
    );
    if (index === -1) return undefined;
    const rule = this.rules[index];
    rule.hits += 1;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules.splice(index, 1);
    }
    const { pattern: _pattern, ...copy } = rule;
    return copy as unknown as Rule;
  }
}

export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

function parseRule<Rule extends FaultRule, Context>(input: unknown, options: FaultRegistryOptions<Rule, Context>): Parsed<Rule> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['A fault must be a JSON object.'] };
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  const strings: readonly string[] = options.stringFields ?? [];
  const known = ['method', 'path', 'kind', 'status', 'count', 'retryAfterSeconds', 'latencyMs', ...strings];
  for (const name of Object.keys(body)) if (!known.includes(name)) errors.push(`Unknown field "${name}".`);
  if (typeof body.path !== 'string' || !body.path.startsWith('/'))
    errors.push(`"path" must be ${options.pathWording ?? 'a glob'} starting with "/", e.g. "${options.pathExample}".`);
  for (const name of strings) if (body[name] !== undefined && typeof body[name] !== 'string') errors.push(`"${name}" must be a string.`);
  const status = body.status;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599))
    errors.push('"status" must be an HTTP error status (400-599).');
  const kinds: readonly string[] = options.kinds;
  const kind = (body.kind ?? (status !== undefined ? 'status' : body.latencyMs !== undefined ? 'latency' : undefined)) as
    Rule['kind'] | undefined;
  if (!kind || !kinds.includes(kind))
    errors.push(`"kind" must be ${options.kindsWording ?? `one of ${kinds.join(', ')}`} (or give "status" or "latencyMs").`);
  for (const name of ['count', 'retryAfterSeconds', 'latencyMs'] as const) {
    const value = body[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < (name === 'count' ? 1 : 0))) {
      errors.push(`"${name}" must be a ${name === 'count' ? 'positive' : 'non-negative'} integer.`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const extra = Object.fromEntries(strings.filter((name) => body[name] !== undefined).map((name) => [name, body[name] as string]));
  const rule: FaultRule = {
    id: randomUUID(),
    method: body.method === undefined ? '*' : String(body.method).toUpperCase(),
    path: body.path as string,
    ...extra,
    kind: kind!,
    ...(status !== undefined ? { status: status as number } : {}),
    ...(body.retryAfterSeconds !== undefined ? { retryAfterSeconds: body.retryAfterSeconds as number } : {}),
    ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs as number } : {}),
    ...(body.count !== undefined ? { remaining: body.count as number } : {}),
    hits: 0,
  };
  return { ok: true, rule: rule as Rule };
}
