// The subset of ConnectWise `conditions` the emulator understands (CWREST, INFRA): comparisons = != < <= > >=,
// contains / like (with * or % as wildcards) and their `not` forms, in (…) / not in (…), and/or with `and` binding
// tighter (as in SQL), parentheses, a/b paths into child objects; values "string" (backslash escapes), numbers,
// true/false/null and [date]. Text compares case-insensitively (ConnectWise sits on SQL Server's default
// collation: assumed). An unknown field or a syntax error is a 400.

export type Literal = string | number | boolean | null | { date: number };

type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'compare'; field: string; op: string; value: Literal }
  | { kind: 'in'; field: string; negate: boolean; values: Literal[] };

export class ConditionsError extends Error {}

interface Token {
  type: 'word' | 'string' | 'number' | 'date' | 'op' | '(' | ')' | ',';
  text: string;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === "'") {
      let text = '';
      i++;
      while (i < input.length && input[i] !== char) {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        text += input[i++];
      }
      if (i >= input.length) throw new ConditionsError('A string in the conditions is not closed.');
      i++;
      tokens.push({ type: 'string', text });
    } else if (char === '[') {
      const end = input.indexOf(']', i);
      if (end === -1) throw new ConditionsError('A date in the conditions is not closed with ].');
      tokens.push({ type: 'date', text: input.slice(i + 1, end) });
      i = end + 1;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ type: char, text: char });
      i++;
    } else if (/[=!<>]/.test(char)) {
      const two = input.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '<>'].includes(two) ? two : char;
      if (op === '!') throw new ConditionsError('Unknown operator "!".');
      tokens.push({ type: 'op', text: op === '<>' ? '!=' : op });
      i += op.length;
    } else if (/[-\d]/.test(char) && /^-?\d/.test(input.slice(i))) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ type: 'number', text: match[0] });
      i += match[0].length;
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(input.slice(i));
      if (!match) throw new ConditionsError(`Unexpected character "${char}" in the conditions.`);
      tokens.push({ type: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ConditionNode {
    const node = this.or();
    if (this.position < this.tokens.length) throw new ConditionsError(`Unexpected "${this.tokens[this.position].text}" in the conditions.`);
    return node;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.type === 'word' && token.text.toLowerCase() === word;
  }

  private or(): ConditionNode {
    let node = this.and();
    while (this.peekWord('or')) {
      this.position++;
      node = { kind: 'or', left: node, right: this.and() };
    }
    return node;
  }

  private and(): ConditionNode {
    let node = this.factor();
    while (this.peekWord('and')) {
      this.position++;
      node = { kind: 'and', left: node, right: this.factor() };
    }
    return node;
  }

  private factor(): ConditionNode {
    const token = this.tokens[this.position];
    if (!token) throw new ConditionsError('The conditions end too early.');
    if (token.type === '(') {
      this.position++;
      const node = this.or();
      if (this.tokens[this.position]?.type !== ')') throw new ConditionsError('A "(" in the conditions is not closed.');
      this.position++;
      return node;
    }
    if (token.type !== 'word') throw new ConditionsError(`Expected a field name, found "${token.text}".`);
    const field = token.text;
    this.position++;
    let negate = false;
    if (this.peekWord('not')) {
      negate = true;
      this.position++;
    }
    const next = this.tokens[this.position];
    if (!next) throw new ConditionsError(`"${field}" has no operator.`);
    if (next.type === 'word' && next.text.toLowerCase() === 'in') {
      this.position++;
      if (this.tokens[this.position]?.type !== '(') throw new ConditionsError('"in" needs a list in parentheses.');
      this.position++;
      const values: Literal[] = [this.literal()];
      while (this.tokens[this.position]?.type === ',') {
        this.position++;
        values.push(this.literal());
      }
      if (this.tokens[this.position]?.type !== ')') throw new ConditionsError('The list after "in" is not closed.');
      this.position++;
      return { kind: 'in', field, negate, values };
    }
    if (next.type === 'word' && ['contains', 'like'].includes(next.text.toLowerCase())) {
      this.position++;
      return { kind: 'compare', field, op: `${negate ? 'not ' : ''}${next.text.toLowerCase()}`, value: this.literal() };
    }
    if (negate) throw new ConditionsError('"not" must be followed by in, contains or like.');
    if (next.type !== 'op') throw new ConditionsError(`Expected an operator after "${field}", found "${next.text}".`);
    this.position++;
    return { kind: 'compare', field, op: next.text, value: this.literal() };
  }

  private literal(): Literal {
    const token = this.tokens[this.position++];
    if (!token) throw new ConditionsError('A value is missing at the end of the conditions.');
    switch (token.type) {
      case 'string':
        return token.text;
      case 'number':
        return Number(token.text);
      case 'date': {
        const date = Date.parse(token.text);
        if (Number.isNaN(date)) throw new ConditionsError(`"[${token.text}]" is not a date.`);
        return { date };
      }
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return word === 'true';
        if (word === 'null') return null;
        throw new ConditionsError(`"${token.text}" is not a value: quote text with double quotes.`);
      }
      default:
        throw new ConditionsError(`Expected a value, found "${token.text}".`);
    }
  }
}

export type Predicate = (record: Record<string, unknown>) => boolean;

// Parses and checks every field against the resource's known fields; throws ConditionsError.
export function compileConditions(text: string, knownFields: ReadonlySet<string>): Predicate {
  const tree = new Parser(tokenize(text)).parse();
  checkFields(tree, knownFields);
  return (record) => evaluate(tree, record);
}

function checkFields(node: ConditionNode, known: ReadonlySet<string>): void {
  if (node.kind !== 'compare' && node.kind !== 'in') {
    checkFields(node.left, known);
    checkFields(node.right, known);
  } else if (!known.has(node.field.toLowerCase())) {
    throw new ConditionsError(`Unknown field "${node.field}" in the conditions.`);
  }
}

export function valueAt(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('/')) {
    if (typeof value !== 'object' || value === null) return undefined;
    const key = Object.keys(value).find((name) => name.toLowerCase() === part.toLowerCase());
    value = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  }
  return value;
}

function evaluate(node: ConditionNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, record) && evaluate(node.right, record);
    case 'or':
      return evaluate(node.left, record) || evaluate(node.right, record);
    case 'in': {
      const actual = valueAt(record, node.field);
      const found = node.values.some((value) => compare(actual, value) === 0);
      return node.negate ? !found : found;
    }
    case 'compare':
      return compareNode(node.op, valueAt(record, node.field), node.value);
  }
}

function compareNode(op: string, actual: unknown, expected: Literal): boolean {
  if (op.endsWith('contains') || op.endsWith('like')) {
    const text = typeof actual === 'string' ? actual : actual === null || actual === undefined ? '' : String(actual);
    const pattern = String(expected);
    const matched = op.endsWith('contains') ? text.toLowerCase().includes(pattern.toLowerCase()) : likeRegExp(pattern).test(text);
    return op.startsWith('not ') ? !matched : matched;
  }
  if (expected === null) {
    const isNull = actual === null || actual === undefined || actual === '';
    if (op === '=') return isNull;
    if (op === '!=') return !isNull;
    return false;
  }
  const order = compare(actual, expected);
  if (order === undefined) return op === '!=';
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return false;
  }
}

// -1/0/1, or undefined when the two cannot be compared (a null field, a date field against text…).
function compare(actual: unknown, expected: Literal): number | undefined {
  if (actual === null || actual === undefined) return expected === null ? 0 : undefined;
  if (typeof expected === 'object' && expected !== null) {
    const date = typeof actual === 'string' ? Date.parse(actual) : NaN;
    return Number.isNaN(date) ? undefined : Math.sign(date - expected.date);
  }
  if (typeof expected === 'number') {
    const number = typeof actual === 'number' ? actual : Number(actual);
    return Number.isNaN(number) ? undefined : Math.sign(number - expected);
  }
  if (typeof expected === 'boolean') return actual === expected ? 0 : typeof actual === 'boolean' ? (actual ? 1 : -1) : undefined;
  const left = String(actual).toLowerCase();
  const right = String(expected).toLowerCase();
  return left === right ? 0 : left < right ? -1 : 1;
}

function likeRegExp(pattern: string): RegExp {
  const source = pattern
    .split('')
    .map((char) => (char === '*' || char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is');
}
