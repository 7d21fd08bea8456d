import {
  compilePatternTables,
  CompiledPatternTables,
  DEFAULT_SEPARATORS,
  MODE_EXACT,
  MODE_PREFIX,
  MODE_SUBSTRING,
  MODE_SUFFIX,
  SimplePatternMode,
} from './simple-pattern.compiler';

// Module-local copies: the CommonJS output reads imported bindings through getters, far too slow in the match loop.
const EXACT = MODE_EXACT;
const PREFIX = MODE_PREFIX;
const SUFFIX = MODE_SUFFIX;
const SUBSTRING = MODE_SUBSTRING;

export interface SimplePatternOptions {
  /**
   * What an empty pattern (no tokens at all) means. Netdata skips the check for `allow from` when the option is empty
   * (so: allow everything, even an empty subject); everywhere else an empty pattern matches nothing.
   */
  emptyMatchesAll?: boolean;
  /** Characters that separate tokens. Default: whitespace and `|`. */
  separators?: string;
  /** How a token without any `*` matches. Netdata uses exact for every user-facing option. */
  defaultMode?: SimplePatternMode;
}

/**
 * A Netdata simple pattern: `!` negates a token, tokens are tried left to right and the first matching one decides,
 * no match means false, an empty subject never matches. Compile once, then `matches()` allocates nothing.
 */
export class SimplePattern {
  readonly empty: boolean;

  private readonly roots: Int32Array;
  private readonly negatives: Uint8Array;
  private readonly modes: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly texts: readonly string[];
  // Per-token necessary conditions, derived once from the chain, that reject most tokens before the chain walk:
  // the char the subject must start with / end with (-1 = any) and the minimum subject length.
  private readonly firstChar: Int32Array;
  private readonly lastChar: Int32Array;
  private readonly minLength: Int32Array;
  private readonly children: Int32Array;
  private readonly emptyMatchesAll: boolean;

  private constructor(
    readonly source: string,
    tables: CompiledPatternTables,
    emptyMatchesAll: boolean,
  ) {
    this.roots = tables.roots;
    this.negatives = tables.negatives;
    this.modes = tables.modes;
    this.lengths = tables.lengths;
    this.children = tables.children;
    this.texts = tables.texts;
    const tokens = tables.roots.length;
    this.firstChar = new Int32Array(tokens).fill(-1);
    this.lastChar = new Int32Array(tokens).fill(-1);
    this.minLength = new Int32Array(tokens);
    for (let t = 0; t < tokens; t++) {
      const root = tables.roots[t];
      const rootMode = tables.modes[root];
      if ((rootMode === PREFIX || rootMode === EXACT) && tables.texts[root] !== '') {
        this.firstChar[t] = tables.texts[root].charCodeAt(0);
      }
      let node = root;
      let min = 0;
      for (;;) {
        min += tables.texts[node].length;
        if (tables.children[node] < 0) break;
        node = tables.children[node];
      }
      this.minLength[t] = min;
      const lastMode = tables.modes[node];
      const lastText = tables.texts[node];
      if ((lastMode === SUFFIX || lastMode === EXACT) && lastText !== '') {
        this.lastChar[t] = lastText.charCodeAt(lastText.length - 1);
      }
    }
    this.empty = tables.roots.length === 0;
    this.emptyMatchesAll = emptyMatchesAll;
  }

  static compile(text: string, opts: SimplePatternOptions = {}): SimplePattern {
    const tables = compilePatternTables(text, opts.separators ?? DEFAULT_SEPARATORS, opts.defaultMode ?? 'exact');
    return new SimplePattern(text, tables, opts.emptyMatchesAll ?? false);
  }

  /** Number of (non-empty) tokens, negative ones included. */
  get size(): number {
    return this.roots.length;
  }

  matches(subject: string): boolean {
    const roots = this.roots;
    if (roots.length === 0) return this.emptyMatchesAll;
    const len = subject.length;
    if (len === 0) return false;
    const first = subject.charCodeAt(0);
    const last = subject.charCodeAt(len - 1);
    const firstChar = this.firstChar;
    const lastChar = this.lastChar;
    const minLength = this.minLength;
    for (let t = 0; t < roots.length; t++) {
      if (minLength[t] > len) continue;
      const fc = firstChar[t];
      if (fc >= 0 && fc !== first) continue;
      const lc = lastChar[t];
      if (lc >= 0 && lc !== last) continue;
      if (this.matchChain(roots[t], subject, len)) return this.negatives[t] === 0;
    }
    return false;
  }

  /** Netdata's three-way answer, for callers that must tell "denied" from "not listed". */
  test(subject: string): 'positive' | 'negative' | 'none' {
    const roots = this.roots;
    if (subject.length === 0) return 'none';
    for (let t = 0; t < roots.length; t++) {
      if (this.matchChain(roots[t], subject, subject.length)) return this.negatives[t] === 0 ? 'positive' : 'negative';
    }
    return 'none';
  }

  // match_pattern() with its tail recursion unrolled: each node consumes from `pos`, the child continues after the
  // first occurrence only (no backtracking), and suffix/exact nodes must reach the end of the subject.
  private matchChain(node: number, subject: string, len: number): boolean {
    const lengths = this.lengths;
    const children = this.children;
    const modes = this.modes;
    let pos = 0;
    for (;;) {
      const mlen = lengths[node];
      if (mlen > len - pos) return false;
      const child = children[node];
      switch (modes[node]) {
        case SUBSTRING: {
          if (mlen === 0) return true;
          // Builtins measured as fast as char-code loops (the prefilters in matches() do most of the rejecting).
          const at = subject.indexOf(this.texts[node], pos);
          if (at < 0) return false;
          if (child < 0) return true;
          pos = at + mlen;
          break;
        }
        case PREFIX:
          if (!subject.startsWith(this.texts[node], pos)) return false;
          if (child < 0) return true;
          pos += mlen;
          break;
        case SUFFIX:
          return child < 0 && subject.endsWith(this.texts[node]);
        case EXACT:
        default:
          return child < 0 && mlen === len - pos && subject.startsWith(this.texts[node], pos);
      }
      node = child;
    }
  }
}
