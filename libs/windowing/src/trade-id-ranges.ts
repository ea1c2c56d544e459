/**
 * The trade ids a window has counted, as sorted disjoint ranges [from, to]. A symbol's ids come
 * nearly in order, so a window holds one range and the usual add extends it in O(1); ids out of
 * order open another range (binary search), and ranges that meet merge.
 */
export class TradeIdRanges {
  readonly #from: number[] = [];
  readonly #to: number[] = [];

  /** Adds `id`; false when it was there already (a duplicate). */
  add(id: number): boolean {
    const from = this.#from;
    const to = this.#to;
    const last = to.length - 1;
    if (last < 0 || id > to[last] + 1) {
      // After every id so far (the usual order): a range of its own, no search.
      from.push(id);
      to.push(id);
      return true;
    }
    if (id === to[last] + 1) {
      to[last] = id;
      return true;
    }
    const low = this.#firstEndingFrom(id);
    if (low < to.length && from[low] <= id) return false;
    const joinsBefore = low > 0 && to[low - 1] === id - 1;
    const joinsAfter = low < to.length && from[low] === id + 1;
    if (joinsBefore && joinsAfter) {
      to[low - 1] = to[low];
      from.splice(low, 1);
      to.splice(low, 1);
    } else if (joinsBefore) {
      to[low - 1] = id;
    } else if (joinsAfter) {
      from[low] = id;
    } else {
      from.splice(low, 0, id);
      to.splice(low, 0, id);
    }
    return true;
  }

  has(id: number): boolean {
    const at = this.#firstEndingFrom(id);
    return at < this.#to.length && this.#from[at] <= id;
  }

  /** Number of disjoint ranges (1 for a window whose ids are contiguous). */
  get rangeCount(): number {
    return this.#from.length;
  }

  /** Index of the first range whose end is ≥ id (binary search), or the number of ranges. */
  #firstEndingFrom(id: number): number {
    const to = this.#to;
    let low = 0;
    let high = to.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (to[mid] < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
