/** Append-only bit stream, most significant bit first. Grows its buffer by doubling. */
export class BitWriter {
  private buf: Uint8Array;
  private byte = 0;
  private bit = 0; // bits used in buf[byte]

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Writes the low `n` bits of `value` (0 <= n <= 32). */
  write(value: number, n: number): void {
    if (this.byte + 5 >= this.buf.length) this.grow();
    while (n > 0) {
      const free = 8 - this.bit;
      const take = free < n ? free : n;
      const shift = n - take;
      const bits = take === 32 ? value >>> 0 : (value >>> shift) & ((1 << take) - 1);
      this.buf[this.byte] |= bits << (free - take);
      this.bit += take;
      n -= take;
      if (this.bit === 8) {
        this.byte++;
        this.bit = 0;
      }
    }
  }

  /** Writes a non-negative integer below 2^53 in `n` bits (32 < n <= 53). */
  writeWide(value: number, n: number): void {
    const hi = Math.floor(value / 4294967296);
    this.write(hi, n - 32);
    this.write(value - hi * 4294967296, 32);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.byte + (this.bit > 0 ? 1 : 0));
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}
