// The last 64 KiB of a stream's uncompressed bytes: the dictionary every next LZ4 block may reference.
export const LZ4_HISTORY = 65536;

export class Lz4History {
  // 64 KiB of history plus room for two blocks: small per connection, one memmove every other block.
  private readonly buf = Buffer.allocUnsafe(LZ4_HISTORY + 32768);
  private len = 0;

  /** The current dictionary (a view, valid until the next append). */
  dictionary(): Buffer {
    return this.buf.subarray(Math.max(0, this.len - LZ4_HISTORY), this.len);
  }

  append(data: Uint8Array): void {
    if (data.length >= LZ4_HISTORY) {
      this.buf.set(data.subarray(data.length - LZ4_HISTORY), 0);
      this.len = LZ4_HISTORY;
      return;
    }
    if (this.len + data.length > this.buf.length) {
      // Slide: keep only what a back-reference can still reach once data is appended (copyWithin is a memmove).
      const keep = Math.min(this.len, LZ4_HISTORY - data.length);
      this.buf.copyWithin(0, this.len - keep, this.len);
      this.len = keep;
    }
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  reset(): void {
    this.len = 0;
  }
}
