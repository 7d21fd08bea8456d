/** Reads a stream written by BitWriter. Reading past the end yields zero bits (callers know their counts). */
export class BitReader {
  private byte: number;
  private bit = 0;

  constructor(
    private readonly buf: Uint8Array,
    offset: number,
  ) {
    this.byte = offset;
  }

  read(n: number): number {
    let out = 0;
    while (n > 0) {
      const avail = 8 - this.bit;
      const take = avail < n ? avail : n;
      const cur = this.byte < this.buf.length ? this.buf[this.byte] : 0;
      const bits = (cur >>> (avail - take)) & ((1 << take) - 1);
      out = take === 32 ? bits : ((out << take) | bits) >>> 0;
      this.bit += take;
      n -= take;
      if (this.bit === 8) {
        this.byte++;
        this.bit = 0;
      }
    }
    return out >>> 0;
  }

  readBit(): number {
    const cur = this.byte < this.buf.length ? this.buf[this.byte] : 0;
    const b = (cur >>> (7 - this.bit)) & 1;
    if (++this.bit === 8) {
      this.byte++;
      this.bit = 0;
    }
    return b;
  }

  readWide(n: number): number {
    const hi = this.read(n - 32);
    return hi * 4294967296 + this.read(32);
  }
}
