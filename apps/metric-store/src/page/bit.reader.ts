/**
 * Reads a stream written by BitWriter. Each read loads the (up to) five bytes covering the wanted bits at once;
 * reading past the end yields zero bits (callers know their counts).
 */
export class BitReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    offset: number,
  ) {
    this.pos = offset * 8;
  }

  /** Reads `n` bits, 1 <= n <= 32. */
  read(n: number): number {
    const b = this.buf;
    const i = this.pos >>> 3;
    const off = this.pos & 7;
    this.pos += n;
    // Out-of-range bytes are undefined, and undefined << k is 0.
    const word = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    const window = off === 0 ? word : ((word << off) | (b[i + 4] >>> (8 - off))) >>> 0;
    return n === 32 ? window : window >>> (32 - n);
  }

  readBit(): number {
    const p = this.pos++;
    return (this.buf[p >>> 3] >>> (7 - (p & 7))) & 1;
  }

  /** Counts consecutive 1 bits (at most `max`) and consumes them plus the terminating 0 when under `max`. */
  readOnes(max: number): number {
    let n = 0;
    while (n < max && this.readBit() === 1) n++;
    return n;
  }

  readWide(n: number): number {
    const hi = this.read(n - 32);
    return hi * 4294967296 + this.read(32);
  }
}
