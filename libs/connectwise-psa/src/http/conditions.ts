// ConnectWise's `conditions` query language (CWREST typedefs; INFRA): `field op value` joined with `and`/`or`,
// parentheses, `a/b` paths into child objects. Values: strings in double quotes, numbers and true/false/null bare,
// dates in square brackets `[2016-08-20T18:04:26Z]`, lists in parentheses for `in`. A string's own `"` and `\` are
// escaped with a backslash (assumed: ConnectWise documents the quotes, not the escape; backslash escaping is what
// its REST clients send). Values are always formatted here, never pasted: a company name such as `Bob "The" Builder`
// or `A & B` cannot break out of its quotes, and the whole string is URL-encoded once by the HTTP client.

export type ConditionValue = string | number | boolean | null | Date;
export type ConditionOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like' | 'not contains' | 'not like';

// A built condition; `String(condition)` (or `.text`) is what goes into `?conditions=`.
export class Condition {
  constructor(
    readonly text: string,
    // 'and' / 'or' when this is a group of several, so a parent of the other kind adds parentheses.
    readonly joinedBy?: 'and' | 'or',
  ) {}

  toString(): string {
    return this.text;
  }
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function field(name: string): string {
  if (!FIELD.test(name)) throw new RangeError(`Not a ConnectWise field path: ${JSON.stringify(name)}`);
  return name;
}

export function formatConditionValue(value: ConditionValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`A condition value must be a finite number, got ${value}`);
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('A condition date must be a valid date');
    // ConnectWise's sample has no milliseconds: [2016-08-20T18:04:26Z].
    return `[${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
  }
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function compare(name: string, operator: ConditionOperator, value: ConditionValue): Condition {
  if ((operator.endsWith('contains') || operator.endsWith('like')) && typeof value !== 'string') {
    throw new RangeError(`"${operator}" needs a string value`);
  }
  return new Condition(`${field(name)} ${operator} ${formatConditionValue(value)}`);
}

function list(name: string, values: readonly ConditionValue[], negate: boolean): Condition {
  if (values.length === 0) throw new RangeError(`"${negate ? 'not in' : 'in'}" needs at least one value`);
  return new Condition(`${field(name)} ${negate ? 'not in' : 'in'} (${values.map(formatConditionValue).join(', ')})`);
}

function join(kind: 'and' | 'or', parts: readonly (Condition | undefined)[]): Condition {
  const present = parts.filter((part): part is Condition => part !== undefined);
  if (present.length === 0) throw new RangeError(`"${kind}" needs at least one condition`);
  if (present.length === 1) return present[0];
  const texts = present.map((part) => (part.joinedBy && part.joinedBy !== kind ? `(${part.text})` : part.text));
  return new Condition(texts.join(` ${kind} `), kind);
}

// `cw.eq('company/id', 250)`, `cw.and(cw.eq('agreementStatus', 'Active'), cw.in('company/id', [1, 2]))`.
export const cw = {
  eq: (name: string, value: ConditionValue) => compare(name, '=', value),
  ne: (name: string, value: ConditionValue) => compare(name, '!=', value),
  lt: (name: string, value: ConditionValue) => compare(name, '<', value),
  le: (name: string, value: ConditionValue) => compare(name, '<=', value),
  gt: (name: string, value: ConditionValue) => compare(name, '>', value),
  ge: (name: string, value: ConditionValue) => compare(name, '>=', value),
  contains: (name: string, value: string) => compare(name, 'contains', value),
  like: (name: string, pattern: string) => compare(name, 'like', pattern),
  notContains: (name: string, value: string) => compare(name, 'not contains', value),
  notLike: (name: string, pattern: string) => compare(name, 'not like', pattern),
  in: (name: string, values: readonly ConditionValue[]) => list(name, values, false),
  notIn: (name: string, values: readonly ConditionValue[]) => list(name, values, true),
  and: (...parts: (Condition | undefined)[]) => join('and', parts),
  or: (...parts: (Condition | undefined)[]) => join('or', parts),
};
