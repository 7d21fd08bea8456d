import { decodePageInto, pageCount } from '../page/page.codec';
import type { Chunk } from './group.reducer';

/**
 * Decoded pages, least recently used first out, bounded in bytes: dashboards ask for the same hour again and
 * again, and decoding is most of a query's CPU. Keys are (dimension id, first time, encoded size); a page never
 * changes under the same key (a retention trim changes its first time). Chunks are shared and must not be modified.
 */
export class DecodedPageCache {
  private readonly map = new Map<string, Chunk>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached chunk of a page known by its encoded size, without its bytes. */
  lookup(dimId: number, startS: number, length: number): Chunk | undefined {
    if (this.maxBytes <= 0) return undefined;
    const key = `${dimId}:${startS}:${length}`;
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.hits++;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit;
  }

  chunk(dimId: number, startS: number, page: Uint8Array): Chunk {
    const key = this.maxBytes > 0 ? `${dimId}:${startS}:${page.length}` : '';
    const hit = key ? this.map.get(key) : undefined;
    if (hit) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    this.misses++;
    const n = pageCount(page);
    const chunk: Chunk = { times: new Uint32Array(n), values: new Float64Array(n) };
    decodePageInto(page, chunk.times, chunk.values, undefined, 0);
    if (!key) return chunk;
    this.map.set(key, chunk);
    this.bytes += n * 12;
    while (this.bytes > this.maxBytes && this.map.size > 0) {
      const [oldKey, old] = this.map.entries().next().value as [string, Chunk];
      this.map.delete(oldKey);
      this.bytes -= old.times.length * 12;
    }
    return chunk;
  }
}
