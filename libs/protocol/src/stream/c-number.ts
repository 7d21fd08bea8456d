// C-style number parsing (strtoll base 0, strtod) straight from bytes, as Netdata's parser does with str2ll/strtod.

const INT64_MAX = 2 ** 63 - 1;

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** strtoll(s, NULL, 0) over buf[start,end): leading spaces, sign, 0x hex, leading-0 octal, stops at the first non-digit. */
export function parseCInteger(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (buf[i] === 32 || (buf[i] >= 9 && buf[i] <= 13))) i++;
  let neg = false;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) {
    neg = buf[i] === 45;
    i++;
  }
  let base = 10;
  if (i < end && buf[i] === 48) {
    if (i + 2 < end + 1 && (buf[i + 1] === 120 || buf[i + 1] === 88) && i + 2 < end && digitValue(buf[i + 2]) < 16) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let v = 0;
  for (; i < end; i++) {
    const d = digitValue(buf[i]);
    if (d >= base) break;
    v = v * base + d;
  }
  if (v > INT64_MAX) v = INT64_MAX;
  return neg ? -v : v;
}

export function parseCIntegerString(s: string): number {
  return parseCInteger(Buffer.from(s, 'latin1'), 0, s.length);
}

/** strtod over buf[start,end): decimal fast path; inf/nan spellings and anything unusual through the slow path. */
export function parseCDouble(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (buf[i] === 32 || (buf[i] >= 9 && buf[i] <= 13))) i++;
  let neg = false;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) {
    neg = buf[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  for (; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    digits++;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      scale++;
      digits++;
    }
  }
  // Exact only while the mantissa fits 2^53 and no exponent/hex/inf/nan follows; otherwise let V8 do it right.
  if (digits === 0 || digits > 15 || (i < end && isNumberChar(buf[i]))) return slowDouble(buf, start, end);
  const v = scale === 0 ? mant : mant / POW10[scale];
  return neg ? -v : v;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

function isNumberChar(c: number): boolean {
  return c === 101 || c === 69 || c === 120 || c === 88 || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 46;
}

function slowDouble(buf: Uint8Array, start: number, end: number): number {
  return parseCDoubleString(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'));
}

export function parseCDoubleString(raw: string): number {
  const s = raw.trim();
  const m = /^([+-]?)(?:(inf(?:inity)?)|(nan)(?:\([^)]*\))?|0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?|(\d*\.?\d*(?:e[+-]?\d+)?))/i.exec(s);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) return sign * Infinity;
  if (m[3]) return NaN;
  if (m[4] !== undefined && (m[4] || m[5])) {
    const int = m[4] ? Number.parseInt(m[4], 16) : 0;
    const frac = m[5] ? Number.parseInt(m[5], 16) / 16 ** m[5].length : 0;
    return sign * (int + frac) * 2 ** (m[6] ? Number.parseInt(m[6], 10) : 0);
  }
  const v = Number.parseFloat(m[7] ?? '');
  return Number.isNaN(v) ? 0 : sign * v;
}
