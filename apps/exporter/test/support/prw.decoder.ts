// Test-side decoders: snappy block format and prometheus.WriteRequest, written independently of the encoder.

export function snappyDecode(buf: Uint8Array): Buffer {
  let p = 0;
  let len = 0;
  let shift = 0;
  for (;;) {
    const b = buf[p++];
    len += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  const out = Buffer.alloc(len);
  let o = 0;
  while (p < buf.length) {
    const tag = buf[p++];
    const type = tag & 3;
    if (type === 0) {
      let l = tag >>> 2;
      if (l >= 60) {
        const bytes = l - 59;
        l = 0;
        for (let i = 0; i < bytes; i++) l |= buf[p++] << (8 * i);
      }
      l += 1;
      for (let i = 0; i < l; i++) out[o++] = buf[p++];
      continue;
    }
    let l: number;
    let off: number;
    if (type === 1) {
      l = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | buf[p++];
    } else if (type === 2) {
      l = (tag >>> 2) + 1;
      off = buf[p] | (buf[p + 1] << 8);
      p += 2;
    } else {
      l = (tag >>> 2) + 1;
      off = buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24);
      p += 4;
    }
    if (off === 0 || off > o) throw new Error(`bad snappy copy offset ${off} at output ${o}`);
    for (let i = 0; i < l; i++, o++) out[o] = out[o - off];
  }
  if (o !== len) throw new Error(`snappy length mismatch ${o} != ${len}`);
  return out;
}

export interface DecodedSeries {
  labels: [string, string][];
  value: number;
  timestamp: number;
}

function readVarint(b: Buffer, p: { i: number }): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    const x = b[p.i++];
    v += (x & 0x7f) * mul;
    mul *= 128;
    if (x < 0x80) return v;
  }
}

export function decodeWriteRequest(b: Buffer): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  const p = { i: 0 };
  while (p.i < b.length) {
    const tag = readVarint(b, p);
    const len = readVarint(b, p);
    const end = p.i + len;
    if (tag !== 0x0a) throw new Error(`unexpected WriteRequest field tag ${tag}`);
    const s: DecodedSeries = { labels: [], value: 0, timestamp: 0 };
    while (p.i < end) {
      const t = readVarint(b, p);
      const l = readVarint(b, p);
      const e = p.i + l;
      if (t === 0x0a) {
        let name = '';
        let value = '';
        while (p.i < e) {
          const lt = readVarint(b, p);
          const ll = readVarint(b, p);
          const str = b.subarray(p.i, p.i + ll).toString('utf8');
          p.i += ll;
          if (lt === 0x0a) name = str;
          else value = str;
        }
        s.labels.push([name, value]);
      } else if (t === 0x12) {
        while (p.i < e) {
          const st = readVarint(b, p);
          if (st === 0x09) {
            s.value = b.readDoubleLE(p.i);
            p.i += 8;
          } else s.timestamp = readVarint(b, p);
        }
      }
      p.i = e;
    }
    out.push(s);
  }
  return out;
}
