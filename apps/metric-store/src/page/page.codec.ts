import { BitReader } from './bit.reader';
import { BitWriter } from './bit.writer';

/**
 * One page = a run of points of one dimension, losslessly compressed.
 *
 * Layout: u8 version (+0x80: regular intervals, no timestamp bits) | u8 value mode | varint count | u32le first time | zigzag varint first interval |
 * varint flagged-count, then (varint index gap, u8 flags) per flagged point | bit stream.
 * Bit stream: per point a delta-of-delta timestamp code (Gorilla), then its value code.
 * Value modes, the smallest result kept per page:
 *  - a decimal exponent e (0..9): every finite value v is exactly round(v*10^e)/10^e, stored as integer deltas;
 *  - 0xfe significant digits: per value its own exponent k and the integer v*10^k (noisy values with the ~7
 *    significant digits of Netdata's storage numbers);
 *  - 0xff: Gorilla XOR of the float64 bits (anything else).
 * A repeated value costs one bit and a gap (NaN) two, in every mode but XOR.
 */
export interface DecodedPage {
  times: Uint32Array;
  values: Float64Array;
  flags: Uint8Array;
}

const VERSION = 1;
/** Set on the version byte when every interval equals the first one: no timestamp bits at all. */
const REGULAR = 0x80;
const XOR_MODE = 0xff;
const SIG_MODE = 0xfe;
const SIG_RAW = 15;
const MAX_EXPONENT = 9;
const MAX_SCALED = 2 ** 51;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function zigzag(d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1;
}
function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Smallest decimal exponent that represents every finite value exactly, or -1. */
function decimalExponent(values: Float64Array, from: number, to: number): number {
  let e = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (v === 0 && 1 / v < 0) return -1; // -0 would come back as +0
    for (;;) {
      const p = POW10[e];
      const n = Math.round(v * p);
      if (Math.abs(n) <= MAX_SCALED && n / p === v) break;
      if (++e > MAX_EXPONENT) return -1;
    }
  }
  return e;
}

class ByteOut {
  buf = Buffer.allocUnsafe(64);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
  }
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
}

function writeTimeDod(w: BitWriter, dod: number): void {
  if (dod === 0) {
    w.write(0, 1);
    return;
  }
  const z = zigzag(dod);
  if (z < 128) w.write((0b10 << 7) | z, 9);
  else if (z < 4096) w.write((0b110 << 12) | z, 15);
  else if (z < 1048576) w.write((0b1110 << 20) | z, 24);
  else {
    w.write(0b1111, 4);
    w.writeWide(z, 34);
  }
}

function readTimeDod(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return unzigzag(r.read(7));
  if (r.readBit() === 0) return unzigzag(r.read(12));
  if (r.readBit() === 0) return unzigzag(r.read(20));
  return unzigzag(r.readWide(34));
}

/** Integer delta codes: 0 same | 10 gap | 110 +6 | 1110 +13 | 11110 +24 | 111110 +36 | 111111 +53 bits (zigzag). */
const INT_BUCKETS = [6, 13, 24, 36, 53];

function writeIntDelta(w: BitWriter, d: number): void {
  if (d === 0) {
    w.write(0, 1);
    return;
  }
  const z = zigzag(d);
  if (z < 64) w.write((0b110 << 6) | z, 9);
  else if (z < 8192) w.write((0b1110 << 13) | z, 17);
  else if (z < 16777216) {
    w.write(0b11110, 5);
    w.write(z, 24);
  } else if (z < 68719476736) {
    w.write(0b111110, 6);
    w.writeWide(z, 36);
  } else {
    w.write(0b111111, 6);
    w.writeWide(z, 53);
  }
}


/** Smallest decimal exponent giving v exactly as an integer over 10^k, or SIG_RAW. */
function valueExponent(v: number): number {
  if (v === 0 && 1 / v < 0) return SIG_RAW;
  for (let k = 0; k <= MAX_EXPONENT; k++) {
    const p = POW10[k];
    const n = Math.round(v * p);
    if (Math.abs(n) > MAX_SCALED) return SIG_RAW;
    if (n / p === v) return k;
  }
  return SIG_RAW;
}

/** Prefix 0 +6 | 10 +13 | 110 +24 | 1110 +36 | 1111 +53 bits. */
function writeMagnitude(w: BitWriter, z: number): void {
  if (z < 64) w.write(z, 7);
  else if (z < 8192) w.write((0b10 << 13) | z, 15);
  else if (z < 16777216) {
    w.write(0b110, 3);
    w.write(z, 24);
  } else if (z < 68719476736) {
    w.write(0b1110, 4);
    w.writeWide(z, 36);
  } else {
    w.write(0b1111, 4);
    w.writeWide(z, 53);
  }
}

function readMagnitude(r: BitReader): number {
  const bits = INT_BUCKETS[r.readOnes(4)];
  return bits > 32 ? r.readWide(bits) : r.read(bits);
}

export function encodePage(times: Uint32Array, values: Float64Array, flags: Uint8Array, from: number, to: number): Buffer {
  if (to - from <= 0) throw new Error('encodePage: empty page');
  const e = decimalExponent(values, from, to);
  // Decimal deltas win on most of Netdata's numbers; noisy ones with a few significant digits do better
  // digit by digit, and anything else as XOR. The smallest encoding of the three is kept.
  let best = encodeMode(times, values, flags, from, to, -2);
  if (e >= 0) {
    const dec = encodeMode(times, values, flags, from, to, e);
    if (dec.length <= best.length) best = dec;
  }
  if (best.length > 8 + (to - from) * 2) {
    const xor = encodeMode(times, values, flags, from, to, -1);
    if (xor.length < best.length) best = xor;
  }
  return best;
}

function encodeMode(times: Uint32Array, values: Float64Array, flags: Uint8Array, from: number, to: number, e: number): Buffer {
  const count = to - from;
  const out = new ByteOut();
  const firstInterval = count > 1 ? times[from + 1] - times[from] : 0;
  let regular = true;
  for (let i = from + 2; i < to && regular; i++) regular = times[i] - times[i - 1] === firstInterval;
  out.u8(regular ? VERSION | REGULAR : VERSION);
  out.u8(e === -1 ? XOR_MODE : e === -2 ? SIG_MODE : e);
  out.varint(count);
  out.u32(times[from]);
  out.varint(zigzag(firstInterval));
  let flagged = 0;
  for (let i = from; i < to; i++) if (flags[i] !== 0) flagged++;
  out.varint(flagged);
  let last = from;
  for (let i = from; i < to; i++) {
    if (flags[i] === 0) continue;
    out.varint(i - last);
    out.u8(flags[i]);
    last = i;
  }

  const w = new BitWriter(Math.max(64, count));
  let prevT = times[from];
  let prevDelta = firstInterval;
  // Decimal mode state.
  const p = e >= 0 ? POW10[e] : 1;
  let prevInt = 0;
  // Significant-digits mode state.
  let prevK = -1;
  // XOR mode state.
  let prevHi = 0;
  let prevLo = 0;
  let winLz = -1;
  let winTz = 0;
  for (let i = from; i < to; i++) {
    if (i > from && !regular) {
      const t = times[i];
      const delta = t - prevT;
      writeTimeDod(w, delta - prevDelta);
      prevDelta = delta;
      prevT = t;
    }
    const v = values[i];
    if (e === -2) {
      if (v !== v) w.write(0b10, 2);
      else if (i > from && Object.is(v, values[i - 1])) w.write(0, 1);
      else {
        w.write(0b11, 2);
        const k = valueExponent(v);
        if (k === prevK) w.write(0, 1);
        else {
          w.write(0b10000 | k, 5);
          prevK = k;
        }
        if (k === SIG_RAW) {
          f64[0] = v;
          w.write(u32[1], 32);
          w.write(u32[0], 32);
        } else writeMagnitude(w, zigzag(Math.round(v * POW10[k])));
      }
      continue;
    }
    if (e >= 0) {
      if (v !== v) {
        w.write(0b10, 2);
        continue;
      }
      const n = Math.round(v * p);
      writeIntDelta(w, n - prevInt);
      prevInt = n;
      continue;
    }
    f64[0] = v;
    const lo = u32[0];
    const hi = u32[1];
    if (i === from) {
      w.write(hi, 32);
      w.write(lo, 32);
      prevHi = hi;
      prevLo = lo;
      continue;
    }
    const xh = (hi ^ prevHi) >>> 0;
    const xl = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xh === 0 && xl === 0) {
      w.write(0, 1);
      continue;
    }
    let lz = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const tz = xl !== 0 ? 31 - Math.clz32(xl & -xl) : 32 + (31 - Math.clz32(xh & -xh));
    if (winLz >= 0 && lz >= winLz && tz >= winTz) {
      w.write(0b10, 2);
      writeShifted(w, xh, xl, winTz, 64 - winLz - winTz);
    } else {
      if (lz > 31) lz = 31;
      const len = 64 - lz - tz;
      w.write(0b11, 2);
      w.write(lz, 5);
      w.write(len - 1, 6);
      writeShifted(w, xh, xl, tz, len);
      winLz = lz;
      winTz = tz;
    }
  }
  const bits = w.bytes();
  out.ensure(bits.length);
  out.buf.set(bits, out.len);
  out.len += bits.length;
  return Buffer.from(out.buf.subarray(0, out.len));
}

/** Writes bits [shift, shift+len) of the 64-bit number hi:lo. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, len: number): void {
  let h: number;
  let l: number;
  if (shift >= 32) {
    h = 0;
    l = hi >>> (shift - 32);
  } else if (shift > 0) {
    h = hi >>> shift;
    l = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
  } else {
    h = hi;
    l = lo;
  }
  if (len > 32) {
    w.write(h, len - 32);
    w.write(l, 32);
  } else {
    w.write(l, len);
  }
}

class ByteIn {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  u8(): number {
    return this.buf[this.pos++];
  }
  u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
  }
}

export function pageCount(page: Uint8Array): number {
  const r = new ByteIn(page);
  r.pos = 2;
  return r.varint();
}

export function decodePage(page: Uint8Array): DecodedPage {
  const count = pageCount(page);
  const times = new Uint32Array(count);
  const values = new Float64Array(count);
  const flags = new Uint8Array(count);
  decodePageInto(page, times, values, flags, 0);
  return { times, values, flags };
}

/**
 * Decodes into caller-owned arrays at `offset` (queries decode many pages into one buffer per dimension: a typed
 * array per page costs more than decoding it). Flags are skipped when `flagsOut` is undefined. Returns the count.
 */
export function decodePageInto(
  page: Uint8Array,
  timesOut: Uint32Array,
  valuesOut: Float64Array,
  flagsOut: Uint8Array | undefined,
  offset: number,
): number {
  const r = new ByteIn(page);
  const version = r.u8();
  if ((version & ~REGULAR) !== VERSION) throw new Error(`page: unknown version ${version}`);
  const regular = (version & REGULAR) !== 0;
  const mode = r.u8();
  const count = r.varint();
  const times = timesOut.subarray(offset, offset + count);
  const values = valuesOut.subarray(offset, offset + count);
  let t = r.u32();
  let delta = unzigzag(r.varint());
  const flagged = r.varint();
  let idx = offset;
  for (let k = 0; k < flagged; k++) {
    idx += r.varint();
    const f = r.u8();
    if (flagsOut) flagsOut[idx] = f;
  }
  if (regular && mode !== XOR_MODE) {
    for (let i = 0; i < count; i++) times[i] = t + i * delta;
    if (mode === SIG_MODE) decodeSignificant(page, r.pos * 8, values);
    else decodeDecimal(page, r.pos * 8, values, POW10[mode]);
    return count;
  }
  const br = new BitReader(page, r.pos);
  const p = mode === XOR_MODE || mode === SIG_MODE ? 1 : POW10[mode];
  let sigK = 0;
  let prevInt = 0;
  let hi = 0;
  let lo = 0;
  let winLz = 0;
  let winTz = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      if (!regular) delta += readTimeDod(br);
      t += delta;
    }
    times[i] = t;
    if (mode === SIG_MODE) {
      if (br.readBit() === 0) {
        values[i] = i > 0 ? values[i - 1] : 0;
        continue;
      }
      if (br.readBit() === 0) {
        values[i] = NaN;
        continue;
      }
      if (br.readBit() === 1) sigK = br.read(4);
      if (sigK === SIG_RAW) {
        u32[1] = br.read(32);
        u32[0] = br.read(32);
        values[i] = f64[0];
      } else values[i] = unzigzag(readMagnitude(br)) / POW10[sigK];
      continue;
    }
    if (mode !== XOR_MODE) {
      if (br.readBit() === 0) {
        values[i] = prevInt / p;
        continue;
      }
      if (br.readBit() === 0) {
        values[i] = NaN;
        continue;
      }
      prevInt += unzigzag(readMagnitude(br));
      values[i] = prevInt / p;
      continue;
    }
    if (i === 0) {
      hi = br.read(32);
      lo = br.read(32);
    } else if (br.readBit() === 1) {
      let shift: number;
      let len: number;
      if (br.readBit() === 0) {
        shift = winTz;
        len = 64 - winLz - winTz;
      } else {
        winLz = br.read(5);
        len = br.read(6) + 1;
        winTz = 64 - winLz - len;
        shift = winTz;
      }
      let h = 0;
      let l: number;
      if (len > 32) {
        h = br.read(len - 32);
        l = br.read(32);
      } else {
        l = br.read(len);
      }
      let xh: number;
      let xl: number;
      if (shift >= 32) {
        xh = (l << (shift - 32)) >>> 0;
        xl = 0;
      } else if (shift > 0) {
        xh = ((h << shift) | (l >>> (32 - shift))) >>> 0;
        xl = (l << shift) >>> 0;
      } else {
        xh = h;
        xl = l;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    u32[0] = lo;
    u32[1] = hi;
    values[i] = f64[0];
  }
  return count;
}

// Fast paths for regular pages (the common case): value bits only, bit reads inlined on a local position.

function bitAt(b: Uint8Array, pos: number): number {
  return (b[pos >>> 3] >>> (7 - (pos & 7))) & 1;
}

/** `n` bits (1..32) at bit `pos`; bytes past the end read as 0. */
function bitsAt(b: Uint8Array, pos: number, n: number): number {
  const i = pos >>> 3;
  const off = pos & 7;
  const word = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  const window = off === 0 ? word : ((word << off) | (b[i + 4] >>> (8 - off))) >>> 0;
  return n === 32 ? window : window >>> (32 - n);
}

/** Reads a magnitude (prefix + bucket) at `pos`; returns it and leaves the new position in `cursor[0]`. */
function magnitudeAt(b: Uint8Array, cursor: Float64Array): number {
  let pos = cursor[0];
  let ones = 0;
  while (ones < 4 && bitAt(b, pos) === 1) {
    ones++;
    pos++;
  }
  if (ones < 4) pos++;
  const bits = INT_BUCKETS[ones];
  let z: number;
  if (bits > 32) {
    z = bitsAt(b, pos, bits - 32) * 4294967296 + bitsAt(b, pos + bits - 32, 32);
  } else z = bitsAt(b, pos, bits);
  cursor[0] = pos + bits;
  return z;
}

const cursor = new Float64Array(1);

function decodeDecimal(b: Uint8Array, start: number, values: Float64Array, p: number): void {
  let pos = start;
  let prevInt = 0;
  let cur = 0;
  for (let i = 0; i < values.length; i++) {
    if (bitAt(b, pos) === 0) {
      pos++;
      values[i] = cur;
      continue;
    }
    if (bitAt(b, pos + 1) === 0) {
      pos += 2;
      values[i] = NaN;
      continue;
    }
    cursor[0] = pos + 2;
    prevInt += unzigzag(magnitudeAt(b, cursor));
    pos = cursor[0];
    cur = prevInt / p;
    values[i] = cur;
  }
}

function decodeSignificant(b: Uint8Array, start: number, values: Float64Array): void {
  let pos = start;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (bitAt(b, pos) === 0) {
      pos++;
      values[i] = i > 0 ? values[i - 1] : 0;
      continue;
    }
    if (bitAt(b, pos + 1) === 0) {
      pos += 2;
      values[i] = NaN;
      continue;
    }
    pos += 2;
    if (bitAt(b, pos) === 1) {
      k = bitsAt(b, pos + 1, 4);
      pos += 5;
    } else pos++;
    if (k === SIG_RAW) {
      u32[1] = bitsAt(b, pos, 32);
      u32[0] = bitsAt(b, pos + 32, 32);
      pos += 64;
      values[i] = f64[0];
      continue;
    }
    cursor[0] = pos;
    values[i] = unzigzag(magnitudeAt(b, cursor)) / POW10[k];
    pos = cursor[0];
  }
}
