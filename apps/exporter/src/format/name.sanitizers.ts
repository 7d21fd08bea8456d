// Netdata's per-connector name and label sanitisers (exporting-formats.md §1). Byte-wise where Netdata is byte-wise.

const RRD_ID_LENGTH_MAX = 1200;
const PROM_LABEL_VALUE_MAX = 256;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** exporting_name_copy: every byte that is not alphanumeric or '.' becomes '_' (one per UTF-8 byte). */
export function graphiteNamePart(s: string): string {
  const bytes = isAscii(s) ? null : Buffer.from(s, 'utf8');
  const n = Math.min(bytes ? bytes.length : s.length, RRD_ID_LENGTH_MAX);
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = bytes ? bytes[i] : s.charCodeAt(i);
    out += isAlnum(c) || c === 46 ? String.fromCharCode(c) : '_';
  }
  return out;
}

function isUnicodeWhitespace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    (cp >= 0x1c && cp <= 0x20) ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Graphite prefix and hostname: ';' and Unicode whitespace become one '_' per UTF-8 byte; the rest is kept. */
export function graphitePrefixOrHost(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x3b || isUnicodeWhitespace(cp)) out += '_'.repeat(utf8Length(cp));
    else out += ch;
  }
  return out;
}

/** Graphite host-label keys and values: whitespace, ';' and '~' become '_'. */
export function graphiteLabel(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x3b || cp === 0x7e || isUnicodeWhitespace(cp)) out += '_'.repeat(utf8Length(cp));
    else out += ch;
  }
  return out;
}

/** OpenTSDB prefix, host= value and label values: keep [A-Za-z0-9-./] and bytes >= 0x80, the rest becomes '_'. */
export function opentsdbTag(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += isAlnum(c) || c === 45 || c === 46 || c === 47 || c >= 0x80 ? s[i] : '_';
  }
  return out;
}

/** JSON string escaping as Netdata's buffer_json_strcat: quote, backslash and control characters. */
export function jsonEscape(s: string): string {
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) {
      simple = false;
      break;
    }
  }
  if (simple) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c >= 0x20) out += s[i];
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else out += '\\u00' + (c < 16 ? '0' : '') + c.toString(16);
  }
  return out;
}

/**
 * prometheus_rrdlabels_sanitize_name: keep [A-Za-z0-9_:], any other ASCII char becomes '_', a whole non-ASCII
 * character becomes one '_'; leading whitespace/control is skipped; an all-underscore result becomes empty.
 */
export function prometheusName(s: string): string {
  let out = '';
  let started = false;
  let allUnderscore = true;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!started && cp <= 0x20) continue;
    started = true;
    let o: string;
    if (cp < 0x80 && (isAlnum(cp) || cp === 95 || cp === 58)) o = ch;
    else o = '_';
    if (o !== '_') allUnderscore = false;
    out += o;
  }
  return allUnderscore ? '' : out;
}

/** Metric-name parts (context, units, dimension) are sanitised like label names but never emptied. */
export function prometheusNamePart(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x80 && (isAlnum(cp) || cp === 95 || cp === 58) ? ch : '_';
  }
  return out;
}

/** Prometheus label values are copied verbatim, truncated to 256 bytes. */
export function prometheusLabelValue(s: string): string {
  if (s.length <= PROM_LABEL_VALUE_MAX / 4) return s;
  const b = Buffer.from(s, 'utf8');
  if (b.length <= PROM_LABEL_VALUE_MAX) return s;
  return b.subarray(0, PROM_LABEL_VALUE_MAX).toString('utf8');
}

/** Units suffix of average metric names: '%' -> percent, trailing '/s' -> _persec, other non-alnum -> '_'. */
export function prometheusUnitsSuffix(units: string): string {
  if (units === '%') return '_percent';
  let u = units;
  let persec = false;
  if (u.length >= 3 && u.endsWith('/s')) {
    u = u.slice(0, -2);
    persec = true;
  }
  let out = '_';
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    out += isAlnum(c) ? u[i] : '_';
  }
  return persec ? out + '_persec' : out;
}

const OLD_UNITS: Record<string, string> = {
  'KiB/s': 'kilobytes/s',
  'MiB/s': 'MB/s',
  'GiB/s': 'GB/s',
  KiB: 'KB',
  MiB: 'MB',
  GiB: 'GB',
  inodes: 'Inodes',
  percentage: 'percent',
  'faults/s': 'page faults/s',
  'KiB/operation': 'kilobytes per operation',
  'milliseconds/operation': 'ms per operation',
};

/** oldunits=yes maps new unit names back to the pre-1.12 ones. */
export function prometheusOldUnits(units: string): string {
  return OLD_UNITS[units] ?? units;
}
