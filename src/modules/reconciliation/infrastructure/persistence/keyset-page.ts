import type { KeysetPage } from '../../../licensing';

// A page from `limit + 1` rows: the extra row only says that another page follows, after the last item's key.
export function keysetPage<R, T>(rows: R[], limit: number, map: (row: R) => T, keyOf: (row: R) => string[]): KeysetPage<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(map), next: rows.length > limit ? keyOf(items[items.length - 1]) : null };
}
