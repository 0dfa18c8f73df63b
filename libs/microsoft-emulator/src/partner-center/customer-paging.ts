import type { Customer } from '../scenario/scenario';
import { compareKeys, domainKey, nameKey, type SortedCustomers } from '../state/world';

// get-a-customer-by-name.md & co.: filter = URL-encoded JSON {"Field","Value","Operator":"starts_with"};
// starts_with is the only operator and the value is case-insensitive.
export interface CustomerFilter {
  field: 'CompanyName' | 'Domain' | 'IndirectReseller';
  value: string;
}

const FIELDS = ['CompanyName', 'Domain', 'IndirectReseller'] as const;

export function parseCustomerFilter(raw: string): { ok: true; filter: CustomerFilter } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'The filter is not valid JSON.' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, message: 'The filter must be a JSON object.' };
  const entries = Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key.toLowerCase(), value]));
  const field = FIELDS.find((candidate) => candidate.toLowerCase() === String(entries.field ?? '').toLowerCase());
  if (!field) return { ok: false, message: `Unsupported filter field '${String(entries.field)}'.` };
  if (typeof entries.value !== 'string') return { ok: false, message: 'The filter value must be a string.' };
  if (String(entries.operator ?? '').toLowerCase() !== 'starts_with')
    return { ok: false, message: `Unsupported filter operator '${String(entries.operator)}'.` };
  return { ok: true, filter: { field, value: entries.value } };
}

// The seek position travels in MS-ContinuationToken: opaque to clients, base64url JSON here.
export interface CustomerCursor {
  partnerTenantId: string;
  size: number;
  filter?: CustomerFilter;
  after: [string, string]; // sort key and id of the last customer returned
}

export function encodeCursor(cursor: CustomerCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, p: cursor.partnerTenantId, s: cursor.size, f: cursor.filter, a: cursor.after })).toString(
    'base64url',
  );
}

export function decodeCursor(token: string): CustomerCursor | undefined {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      p?: unknown;
      s?: unknown;
      f?: CustomerFilter;
      a?: unknown;
    };
    if (raw.v !== 1 || typeof raw.p !== 'string' || typeof raw.s !== 'number' || !Array.isArray(raw.a) || raw.a.length !== 2)
      return undefined;
    return { partnerTenantId: raw.p, size: raw.s, filter: raw.f, after: [String(raw.a[0]), String(raw.a[1])] };
  } catch {
    return undefined;
  }
}

export interface CustomerPage {
  items: Customer[];
  next?: [string, string];
}

export function pageOfCustomers(
  sorted: SortedCustomers,
  filter: CustomerFilter | undefined,
  size: number,
  after?: [string, string],
): CustomerPage {
  if (filter?.field === 'IndirectReseller') {
    // Rare (indirect providers only): a scan is fine here.
    const reseller = filter.value.toLowerCase();
    const matching = sorted.byName.filter((customer) => (customer.resellerTenantId ?? '').toLowerCase().startsWith(reseller));
    return slicePage(matching, nameKey, () => true, 0, size, after);
  }
  const byDomain = filter?.field === 'Domain';
  const list = byDomain ? sorted.byDomain : sorted.byName;
  const keyOf = byDomain ? domainKey : nameKey;
  const prefix = (filter?.value ?? '').toLowerCase();
  const start = after ? firstAfter(list, keyOf, after) : firstAtLeast(list, keyOf, prefix);
  return slicePage(list, keyOf, (key) => key.startsWith(prefix), start, size);
}

function slicePage(
  list: Customer[],
  keyOf: (customer: Customer) => string,
  matches: (key: string) => boolean,
  start: number,
  size: number,
  after?: [string, string],
): CustomerPage {
  let index = after ? firstAfter(list, keyOf, after) : start;
  const items: Customer[] = [];
  while (index < list.length && items.length < size && matches(keyOf(list[index]))) items.push(list[index++]);
  const more = index < list.length && matches(keyOf(list[index]));
  const last = items[items.length - 1];
  return { items, next: more && last ? [keyOf(last), last.id] : undefined };
}

// Binary searches over a list sorted by (key, id).
function firstAtLeast(list: Customer[], keyOf: (customer: Customer) => string, key: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(list[middle]) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function firstAfter(list: Customer[], keyOf: (customer: Customer) => string, [key, id]: [string, string]): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keyOf(list[middle]), list[middle].id, key, id) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
