// A paged Microsoft collection: `for await (const page of pages)` walks the pages as Microsoft returns them,
// `items()` walks the items, `all()` collects them. Lazy and re-iterable: each walk starts again at page one.
export class Pages<TItem, TPage> implements AsyncIterable<TPage> {
  constructor(
    private readonly walk: () => AsyncGenerator<TPage, void, undefined>,
    private readonly itemsOf: (page: TPage) => TItem[],
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<TPage> {
    return this.walk();
  }

  async *items(): AsyncGenerator<TItem, void, undefined> {
    for await (const page of this) yield* this.itemsOf(page);
  }

  async all(): Promise<TItem[]> {
    const items: TItem[] = [];
    for await (const page of this) items.push(...this.itemsOf(page));
    return items;
  }
}
