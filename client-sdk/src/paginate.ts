// Cursor pagination as an async iterable: `for await (const g of client.giveaways.list())` walks every page,
// following the server's cursor (`X-Next-Cursor` for giveaway lists, `next_cursor` for entrants).

/**
 * One page and the cursor of the next one (null on the last page).
 *
 * @example
 * const { items, nextCursor } = await client.giveaways.list({ limit: 20 }).first();
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * A list that loads lazily. Iterate it for items, call `pages()` for whole pages, `first()` for one page, or
 * `all()` to collect everything.
 *
 * @example
 * for await (const giveaway of client.giveaways.list({ limit: 50 })) console.log(giveaway.title);
 * const firstPage = await client.giveaways.list().first();
 */
export interface Paginated<T> extends AsyncIterable<T> {
  /** The first page only. */
  first(): Promise<Page<T>>;
  /** Every page in order, following cursors until the last. */
  pages(): AsyncIterableIterator<Page<T>>;
  /** Every item, in order; stops after `max` items when given. */
  all(max?: number): Promise<T[]>;
}

/** Builds a Paginated from a function loading the page after `cursor` (undefined for the first). */
export function paginate<T>(load: (cursor: string | undefined) => Promise<Page<T>>): Paginated<T> {
  async function* pages(): AsyncIterableIterator<Page<T>> {
    let cursor: string | undefined;
    for (;;) {
      const page = await load(cursor);
      yield page;
      if (!page.nextCursor || page.items.length === 0 || page.nextCursor === cursor) return;
      cursor = page.nextCursor;
    }
  }
  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page.items;
  }
  return {
    first: () => load(undefined),
    pages,
    async all(max = Infinity) {
      const out: T[] = [];
      for await (const item of items()) {
        if (out.length >= max) break;
        out.push(item);
      }
      return out;
    },
    [Symbol.asyncIterator]: items,
  };
}
