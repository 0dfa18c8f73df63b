// A paged ConnectWise collection: `for await (const page of pages)` walks the pages (arrays) as ConnectWise returns
// them, `items()` walks the records, `all()` collects them. Lazy and re-iterable: each walk starts again.
export class ConnectWisePages<T> implements AsyncIterable<T[]> {
  constructor(private readonly walk: () => AsyncGenerator<T[], void, undefined>) {}

  [Symbol.asyncIterator](): AsyncIterator<T[]> {
    return this.walk();
  }

  async *items(): AsyncGenerator<T, void, undefined> {
    for await (const page of this) yield* page;
  }

  async all(): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this) items.push(...page);
    return items;
  }
}
