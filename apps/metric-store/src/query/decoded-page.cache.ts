import { decodePageInto, pageCount } from '../page/page.codec';

interface Entry {
  times: Uint32Array;
  values: Float64Array;
}

/**
 * Decoded pages, least recently used first out, bounded in bytes: dashboards ask for the same hour again and
 * again, and decoding is most of a query's CPU. Keys are (dimension id, first time, encoded size); a page never
 * changes under the same key (a retention trim changes its first time).
 */
export class DecodedPageCache {
  private readonly map = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  /** Copies the page's points into times/values at `offset`; returns the count. */
  decodeInto(dimId: number, startS: number, page: Uint8Array, times: Uint32Array, values: Float64Array, offset: number): number {
    if (this.maxBytes <= 0) return decodePageInto(page, times, values, undefined, offset);
    const key = `${dimId}:${startS}:${page.length}`;
    const hit = this.map.get(key);
    if (hit) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, hit);
      times.set(hit.times, offset);
      values.set(hit.values, offset);
      return hit.times.length;
    }
    this.misses++;
    const n = decodePageInto(page, times, values, undefined, offset);
    const entry = { times: times.slice(offset, offset + n), values: values.slice(offset, offset + n) };
    this.map.set(key, entry);
    this.bytes += n * 12;
    while (this.bytes > this.maxBytes && this.map.size > 0) {
      const [oldKey, old] = this.map.entries().next().value as [string, Entry];
      this.map.delete(oldKey);
      this.bytes -= old.times.length * 12;
    }
    return n;
  }

  count(page: Uint8Array): number {
    return pageCount(page);
  }
}
