// Turns pattern text into flat node tables, reproducing libnetdata/simple_pattern (v1.37) token by token,
// including its quirks, so Tributary accepts and rejects exactly what a Netdata parent would.

export const MODE_EXACT = 0;
export const MODE_PREFIX = 1;
export const MODE_SUFFIX = 2;
export const MODE_SUBSTRING = 3;

export type SimplePatternMode = 'exact' | 'prefix' | 'suffix' | 'substring';

const MODE_BY_NAME: Record<SimplePatternMode, number> = {
  exact: MODE_EXACT,
  prefix: MODE_PREFIX,
  suffix: MODE_SUFFIX,
  substring: MODE_SUBSTRING,
};

/** Whitespace as Netdata's default separator table, plus `|` which the issue asks us to accept as well. */
export const DEFAULT_SEPARATORS = ' \t\r\n\f\v|';
/** Netdata 1.37's own default (what `netdata -W simple-pattern` uses). */
export const WHITESPACE_SEPARATORS = ' \t\r\n\f\v';

/**
 * One token is a chain of nodes: a node may have a child that must match the remainder after it.
 * Tables instead of objects so that matching walks typed arrays and allocates nothing.
 */
export interface CompiledPatternTables {
  readonly roots: Int32Array;
  readonly negatives: Uint8Array;
  readonly modes: Uint8Array;
  readonly texts: readonly string[];
  readonly lengths: Int32Array;
  readonly children: Int32Array;
}

interface NodeDraft {
  mode: number;
  text: string;
  child: number;
}

export function compilePatternTables(
  text: string,
  separators: string = DEFAULT_SEPARATORS,
  defaultMode: SimplePatternMode = 'exact',
): CompiledPatternTables {
  const isSeparator = (ch: string): boolean => ch !== '' && separators.includes(ch);
  const nodes: NodeDraft[] = [];
  const roots: number[] = [];
  const negatives: number[] = [];
  const mode = MODE_BY_NAME[defaultMode];

  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSeparator(text[i])) i++;
    let negative = false;
    if (i < n && text[i] === '!') {
      negative = true;
      i++;
    }
    if (i >= n) break;

    // The separator that ends a token is consumed; `\` escapes exactly one following character.
    let token = '';
    let escape = false;
    while (i < n) {
      const ch = text[i];
      if (ch === '\\' && !escape) {
        escape = true;
        i++;
        continue;
      }
      if (!escape && isSeparator(ch)) {
        i++;
        break;
      }
      token += ch;
      escape = false;
      i++;
    }
    // Netdata drops empty tokens together with their `!` (so `! 10.*` is just `10.*`).
    if (token === '') continue;

    roots.push(parseChain(token, mode, nodes));
    negatives.push(negative ? 1 : 0);
  }

  return {
    roots: Int32Array.from(roots),
    negatives: Uint8Array.from(negatives),
    modes: Uint8Array.from(nodes.map((d) => d.mode)),
    texts: nodes.map((d) => d.text),
    lengths: Int32Array.from(nodes.map((d) => d.text.length)),
    children: Int32Array.from(nodes.map((d) => d.child)),
  };
}

// Mirrors parse_pattern(): split at the first `*` that follows non-`*` text and is not the last char; the child keeps
// that `*` as its first char, this node keeps it as its last. Only one `*` is stripped from each end, which is why
// `***` matches a literal `*` and `a**b` means prefix `a` then suffix `*b`.
function parseChain(token: string, defaultMode: number, nodes: NodeDraft[]): number {
  let c = 0;
  while (c < token.length && token[c] === '*') c++;
  while (c < token.length && token[c] !== '*') c++;

  let child = -1;
  let own = token;
  if (c < token.length && c + 1 < token.length) {
    child = parseChain(token.slice(c), defaultMode, nodes);
    own = token.slice(0, c + 1);
  }

  let mode: number;
  let match: string;
  const len = own.length;
  if (len >= 2 && own[0] === '*' && own[len - 1] === '*') {
    mode = MODE_SUBSTRING;
    match = own.slice(1, len - 1);
  } else if (len >= 1 && own[0] === '*') {
    mode = MODE_SUFFIX;
    match = own.slice(1);
  } else if (len >= 1 && own[len - 1] === '*') {
    mode = MODE_PREFIX;
    match = own.slice(0, len - 1);
  } else {
    mode = defaultMode;
    match = own;
  }
  if (match === '') mode = MODE_SUBSTRING;

  nodes.push({ mode, text: match, child });
  return nodes.length - 1;
}
