import { BitReader } from './bit.reader';
import { BitWriter } from './bit.writer';

/**
 * One page = a run of points of one dimension, losslessly compressed.
 *
 * Layout: u8 version | u8 value mode | varint count | u32le first time | zigzag varint first interval |
 * varint flagged-count, then (varint index gap, u8 flags) per flagged point | bit stream.
 * Bit stream: per point a delta-of-delta timestamp code (Gorilla), then its value code.
 * Value modes: a decimal exponent e (0..9): every finite value v is exactly round(v*10^e)/10^e, so values are
 * stored as integer deltas (Netdata's stored numbers nearly always are); 0xff: Gorilla XOR of the float64 bits.
 * NaN (a gap) costs two bits in the decimal mode.
 */
export interface DecodedPage {
  times: Uint32Array;
  values: Float64Array;
  flags: Uint8Array;
}

const VERSION = 1;
const XOR_MODE = 0xff;
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

/** After the "11" prefix: 0 + 6 bits, 10 + 13 bits, 110 + 24 bits, 111 + 53 bits. */
function readIntDeltaBody(r: BitReader): number {
  if (r.readBit() === 0) return r.read(6);
  if (r.readBit() === 0) return r.read(13);
  if (r.readBit() === 0) return r.read(24);
  return r.readWide(53);
}

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
  } else {
    w.write(0b11111, 5);
    w.writeWide(z, 53);
  }
}

export function encodePage(times: Uint32Array, values: Float64Array, flags: Uint8Array, from: number, to: number): Buffer {
  const count = to - from;
  if (count <= 0) throw new Error('encodePage: empty page');
  const out = new ByteOut();
  const e = decimalExponent(values, from, to);
  out.u8(VERSION);
  out.u8(e < 0 ? XOR_MODE : e);
  out.varint(count);
  out.u32(times[from]);
  const firstInterval = count > 1 ? times[from + 1] - times[from] : 0;
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
  // XOR mode state.
  let prevHi = 0;
  let prevLo = 0;
  let winLz = -1;
  let winTz = 0;
  for (let i = from; i < to; i++) {
    if (i > from) {
      const t = times[i];
      const delta = t - prevT;
      writeTimeDod(w, delta - prevDelta);
      prevDelta = delta;
      prevT = t;
    }
    const v = values[i];
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
  const r = new ByteIn(page);
  const version = r.u8();
  if (version !== VERSION) throw new Error(`page: unknown version ${version}`);
  const mode = r.u8();
  const count = r.varint();
  const times = new Uint32Array(count);
  const values = new Float64Array(count);
  const flags = new Uint8Array(count);
  let t = r.u32();
  let delta = unzigzag(r.varint());
  const flagged = r.varint();
  let idx = 0;
  for (let k = 0; k < flagged; k++) {
    idx += r.varint();
    flags[idx] = r.u8();
  }
  const br = new BitReader(page, r.pos);
  const p = mode === XOR_MODE ? 1 : POW10[mode];
  let prevInt = 0;
  let hi = 0;
  let lo = 0;
  let winLz = 0;
  let winTz = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      delta += readTimeDod(br);
      t += delta;
    }
    times[i] = t;
    if (mode !== XOR_MODE) {
      if (br.readBit() === 0) {
        values[i] = prevInt / p;
        continue;
      }
      if (br.readBit() === 0) {
        values[i] = NaN;
        continue;
      }
      prevInt += unzigzag(readIntDeltaBody(br));
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
  return { times, values, flags };
}
