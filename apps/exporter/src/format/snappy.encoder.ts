// Snappy block format encoder (what Prometheus remote write expects: not the framed format).
// Greedy LZ77 over 64 KiB blocks with a 4-byte hash table, as the reference compressor does.

const BLOCK = 65536;
const HASH_BITS = 14;
const table = new Int32Array(1 << HASH_BITS);

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

export function snappyMaxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export function snappyCompress(input: Uint8Array): Buffer {
  const n = input.length;
  const out = Buffer.allocUnsafe(snappyMaxCompressedLength(n));
  let o = 0;
  let len = n;
  while (len >= 0x80) {
    out[o++] = (len & 0x7f) | 0x80;
    len >>>= 7;
  }
  out[o++] = len;

  const emitLiteral = (from: number, to: number): void => {
    const l = to - from - 1;
    if (l < 60) out[o++] = l << 2;
    else if (l < 0x100) {
      out[o++] = 60 << 2;
      out[o++] = l;
    } else if (l < 0x10000) {
      out[o++] = 61 << 2;
      out[o++] = l & 0xff;
      out[o++] = l >>> 8;
    } else {
      out[o++] = 62 << 2;
      out[o++] = l & 0xff;
      out[o++] = (l >>> 8) & 0xff;
      out[o++] = l >>> 16;
    }
    for (let i = from; i < to; i++) out[o++] = input[i];
  };
  const emitCopy2 = (offset: number, l: number): void => {
    out[o++] = ((l - 1) << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
  };
  const emitCopy = (offset: number, l: number): void => {
    while (l >= 68) {
      emitCopy2(offset, 64);
      l -= 64;
    }
    if (l > 64) {
      emitCopy2(offset, 60);
      l -= 60;
    }
    if (l >= 12 || offset >= 2048) emitCopy2(offset, l);
    else {
      out[o++] = 1 | ((l - 4) << 2) | ((offset >>> 8) << 5);
      out[o++] = offset & 0xff;
    }
  };
  const read32 = (p: number): number => (input[p] | (input[p + 1] << 8) | (input[p + 2] << 16) | (input[p + 3] << 24)) >>> 0;

  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    table.fill(-1);
    let lit = start;
    let i = start;
    let skip = 32;
    while (i + 4 <= end) {
      const v = read32(i);
      const h = hash(v);
      const cand = table[h];
      table[h] = i;
      if (cand >= start && read32(cand) === v) {
        if (i > lit) emitLiteral(lit, i);
        let l = 4;
        while (i + l < end && input[cand + l] === input[i + l]) l++;
        emitCopy(i - cand, l);
        i += l;
        lit = i;
        skip = 32;
        if (i - 1 + 4 <= end) table[hash(read32(i - 1))] = i - 1;
      } else {
        // Incompressible data is skipped faster, as the reference implementation does.
        i += skip++ >>> 5;
      }
    }
    if (lit < end) emitLiteral(lit, end);
  }
  return out.subarray(0, o);
}
