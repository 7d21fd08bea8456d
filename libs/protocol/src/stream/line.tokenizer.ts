// Netdata's pluginsd_split_words() over bytes: separators are space, tab, CR, LF and '='; a word may open with ' or "
// and then runs to the same quote; a backslash shields the next byte but stays in the word; at most 20 words.

export const MAX_WORDS = 20;

function isSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 61;
}

/**
 * Reusable word table: word k is buf[starts[k], ends[k]). One instance per connection, so tokenizing a line
 * allocates nothing; strings are made only for the words a command actually keeps.
 */
export class LineTokens {
  readonly starts = new Int32Array(MAX_WORDS);
  readonly ends = new Int32Array(MAX_WORDS);
  count = 0;
  buf: Buffer = Buffer.alloc(0);

  text(k: number): string {
    return k < this.count ? this.buf.toString('utf8', this.starts[k], this.ends[k]) : '';
  }

  /** Whether word k equals an ASCII literal, without making a string. */
  is(k: number, literal: string): boolean {
    if (k >= this.count) return false;
    const s = this.starts[k];
    const n = this.ends[k] - s;
    if (n !== literal.length) return false;
    for (let i = 0; i < n; i++) if (this.buf[s + i] !== literal.charCodeAt(i)) return false;
    return true;
  }

  length(k: number): number {
    return k < this.count ? this.ends[k] - this.starts[k] : 0;
  }
}

/** Splits buf[start,end) (one line, without its '\n') into out. Returns the word count. */
export function tokenizeLine(buf: Buffer, start: number, end: number, out: LineTokens): number {
  out.buf = buf;
  let i = start;
  let quote = 0;
  let n = 0;
  while (i < end && isSeparator(buf[i])) i++;
  if (i >= end) {
    out.count = 0;
    return 0;
  }
  if (buf[i] === 39 || buf[i] === 34) quote = buf[i++];
  out.starts[n] = i;
  let open = true;
  while (i < end) {
    const c = buf[i];
    if (c === 92 && i + 1 < end) {
      i += 2;
      continue;
    }
    if ((quote !== 0 && c === quote) || (quote === 0 && isSeparator(c))) {
      // A closing quote acts as a separator, as Netdata overwrites it with a space.
      out.ends[n++] = i;
      open = false;
      quote = 0;
      i++;
      while (i < end && isSeparator(buf[i])) i++;
      if (i < end && (buf[i] === 39 || buf[i] === 34)) quote = buf[i++];
      if (i >= end || n >= MAX_WORDS) break;
      out.starts[n] = i;
      open = true;
      continue;
    }
    i++;
  }
  if (open) out.ends[n++] = Math.min(i, end);
  out.count = n;
  return n;
}

/** Convenience for tests and cold paths: the words of a string. */
export function tokenizeString(line: string): string[] {
  const buf = Buffer.from(line, 'utf8');
  const t = new LineTokens();
  const n = tokenizeLine(buf, 0, buf.length, t);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(t.text(k));
  return words;
}
