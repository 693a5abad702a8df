/**
 * A first-in first-out queue that holds at most `limit` items: a push onto a full queue
 * drops the oldest item and counts it. What waits for a broker or a webhook while it is
 * away: memory stays bounded however long the outage.
 */
export class BoundedQueue<T> {
  #items: T[] = [];
  /** Items dropped since the start because the queue was full. */
  dropped = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError("a bounded queue holds at least one item");
  }

  /** Adds `item` at the end; returns the oldest item if it had to make room. */
  push(item: T): T | undefined {
    this.#items.push(item);
    if (this.#items.length <= this.limit) return undefined;
    this.dropped++;
    return this.#items.shift();
  }

  /** The oldest item, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    return this.#items.shift();
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  get length(): number {
    return this.#items.length;
  }
}
