// Splits a Netdata health expression into tokens. Netdata accepts word operators (AND OR NOT), `=` as equality and
// `<>` as not-equal; variables are `$name` (alnum, `.`, `_`) or `${any text}`; numbers include `nan` and `inf`.

export type TokenKind = 'number' | 'variable' | 'op' | 'open' | 'close' | 'abs' | 'question' | 'colon';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: number;
  readonly pos: number;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const SYMBOL_OPS = ['&&', '||', '>=', '<=', '==', '!=', '<>', '>', '<', '=', '+', '-', '*', '/', '%', '!'];

function isVarChar(c: string): boolean {
  return /[A-Za-z0-9._]/.test(c);
}

function wordAt(src: string, i: number): string {
  let j = i;
  while (j < src.length && /[A-Za-z0-9_]/.test(src[j])) j++;
  return src.slice(i, j);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ kind: 'open', text: c, value: 0, pos: i++ });
      continue;
    }
    if (c === ')') {
      out.push({ kind: 'close', text: c, value: 0, pos: i++ });
      continue;
    }
    if (c === '?') {
      out.push({ kind: 'question', text: c, value: 0, pos: i++ });
      continue;
    }
    if (c === ':') {
      out.push({ kind: 'colon', text: c, value: 0, pos: i++ });
      continue;
    }
    if (c === '$') {
      const start = i;
      if (src[i + 1] === '{') {
        const end = src.indexOf('}', i + 2);
        if (end < 0) throw new ExpressionSyntaxError('unterminated ${ variable', i);
        const name = src.slice(i + 2, end).trim();
        if (!name) throw new ExpressionSyntaxError('empty variable name', i);
        out.push({ kind: 'variable', text: name, value: 0, pos: start });
        i = end + 1;
      } else {
        let j = i + 1;
        while (j < src.length && isVarChar(src[j])) j++;
        if (j === i + 1) throw new ExpressionSyntaxError('empty variable name', i);
        out.push({ kind: 'variable', text: src.slice(i + 1, j), value: 0, pos: start });
        i = j;
      }
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) throw new ExpressionSyntaxError(`bad number`, i);
      out.push({ kind: 'number', text: m[0], value: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      const word = wordAt(src, i);
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') {
        out.push({ kind: 'op', text: lower === 'and' ? '&&' : lower === 'or' ? '||' : '!', value: 0, pos: i });
      } else if (lower === 'nan') {
        out.push({ kind: 'number', text: word, value: NaN, pos: i });
      } else if (lower === 'inf' || lower === 'infinity') {
        out.push({ kind: 'number', text: word, value: Infinity, pos: i });
      } else if (lower === 'abs' && src.slice(i + 3).trimStart().startsWith('(')) {
        out.push({ kind: 'abs', text: 'abs', value: 0, pos: i });
      } else {
        throw new ExpressionSyntaxError(`unknown word '${word}' (variables need a $)`, i);
      }
      i += word.length;
      continue;
    }
    const op = SYMBOL_OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}'`, i);
    out.push({ kind: 'op', text: op === '=' ? '==' : op === '<>' ? '!=' : op, value: 0, pos: i });
    i += op.length;
  }
  return out;
}
