// Parses a health expression once into a tree, then binds it into nested closures per alarm instance so that an
// evaluation is only closure calls and arithmetic (no lookups by name, no allocation).
// Semantics follow Netdata's libnetdata/eval: NaN and infinity propagate through arithmetic (any infinity
// gives +inf), comparisons with NaN are false, `==` treats NaN==NaN and inf==inf as true, logical operators use
// "NaN is false, infinity is true". Precedence: unary (! NOT - + abs) > * / % > + - > comparisons > && || (equal,
// left to right as Netdata) > ?: (lowest, right-associative).
import { ExpressionSyntaxError, Token, tokenize } from './expression.tokenizer';

export type Getter = () => number;
/** Gives the getter of a variable; called once per variable at bind time. */
export type VariableResolver = (name: string) => Getter;

type Node =
  | { t: 'num'; v: number }
  | { t: 'var'; name: string }
  | { t: 'un'; op: string; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'if'; c: Node; a: Node; b: Node };

export interface CompiledExpression {
  readonly source: string;
  /** Netdata's "parsed as" text: fully parenthesised, variables as ${name}. */
  readonly parsedAs: string;
  readonly variables: readonly string[];
  bind(resolve: VariableResolver): Getter;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '&&': 2,
  '||': 2,
  '>=': 3,
  '<=': 3,
  '==': 3,
  '!=': 3,
  '<': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parseAll(): Node {
    if (this.tokens.length === 0) throw new ExpressionSyntaxError('empty expression', 0);
    const n = this.ternary();
    const extra = this.tokens[this.i];
    if (extra) throw new ExpressionSyntaxError(`unexpected '${extra.text}'`, extra.pos);
    return n;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private ternary(): Node {
    const c = this.binary(0);
    if (this.peek()?.kind !== 'question') return c;
    this.i++;
    const a = this.ternary();
    const colon = this.peek();
    if (colon?.kind !== 'colon') throw new ExpressionSyntaxError("missing ':' of '?'", colon?.pos ?? this.src.length);
    this.i++;
    const b = this.ternary();
    return { t: 'if', c, a, b };
  }

  private binary(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const tok = this.peek();
      if (tok?.kind !== 'op') break;
      const prec = BINARY_PRECEDENCE[tok.text];
      if (prec === undefined || prec <= minPrec) break;
      this.i++;
      const right = this.binary(prec);
      left = { t: 'bin', op: tok.text, a: left, b: right };
    }
    return left;
  }

  private unary(): Node {
    const tok = this.peek();
    if (!tok) throw new ExpressionSyntaxError('missing operand', this.src.length);
    if (tok.kind === 'op' && (tok.text === '!' || tok.text === '-' || tok.text === '+')) {
      this.i++;
      return { t: 'un', op: tok.text, a: this.unary() };
    }
    if (tok.kind === 'abs') {
      this.i++;
      return { t: 'un', op: 'abs', a: this.group() };
    }
    if (tok.kind === 'open') return this.group();
    if (tok.kind === 'number') {
      this.i++;
      return { t: 'num', v: tok.value };
    }
    if (tok.kind === 'variable') {
      this.i++;
      return { t: 'var', name: tok.text };
    }
    throw new ExpressionSyntaxError(`unexpected '${tok.text}'`, tok.pos);
  }

  private group(): Node {
    const open = this.peek();
    if (open?.kind !== 'open') throw new ExpressionSyntaxError("missing '('", open?.pos ?? this.src.length);
    this.i++;
    const inner = this.ternary();
    const close = this.peek();
    if (close?.kind !== 'close') throw new ExpressionSyntaxError("missing ')'", close?.pos ?? this.src.length);
    this.i++;
    return inner;
  }
}

function isTrue(n: number): boolean {
  return n === n && n !== 0;
}

function considerEqual(a: number, b: number): boolean {
  if (a !== a) return b !== b;
  if (b !== b) return false;
  const ai = a === Infinity || a === -Infinity;
  const bi = b === Infinity || b === -Infinity;
  if (ai || bi) return ai && bi;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function arith(op: string, a: Getter, b: Getter): Getter {
  const f =
    op === '+'
      ? (x: number, y: number) => x + y
      : op === '-'
        ? (x: number, y: number) => x - y
        : op === '*'
          ? (x: number, y: number) => x * y
          : op === '/'
            ? (x: number, y: number) => x / y
            : (x: number, y: number) => x % y;
  return () => {
    const x = a();
    const y = b();
    if (x !== x || y !== y) return NaN;
    if (x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) return Infinity;
    return f(x, y);
  };
}

function bindNode(n: Node, resolve: VariableResolver): Getter {
  switch (n.t) {
    case 'num': {
      const v = n.v;
      return () => v;
    }
    case 'var':
      return resolve(n.name);
    case 'un': {
      const a = bindNode(n.a, resolve);
      if (n.op === '!') return () => (isTrue(a()) ? 0 : 1);
      if (n.op === '+') return a;
      if (n.op === '-')
        return () => {
          const x = a();
          return x !== x ? NaN : x === Infinity || x === -Infinity ? Infinity : -x;
        };
      return () => {
        const x = a();
        return x !== x ? NaN : x === Infinity || x === -Infinity ? Infinity : Math.abs(x);
      };
    }
    case 'if': {
      const c = bindNode(n.c, resolve);
      const a = bindNode(n.a, resolve);
      const b = bindNode(n.b, resolve);
      return () => (isTrue(c()) ? a() : b());
    }
    case 'bin': {
      const a = bindNode(n.a, resolve);
      const b = bindNode(n.b, resolve);
      switch (n.op) {
        case '&&':
          return () => (isTrue(a()) && isTrue(b()) ? 1 : 0);
        case '||':
          return () => (isTrue(a()) || isTrue(b()) ? 1 : 0);
        case '>=':
          return () => (a() >= b() ? 1 : 0);
        case '<=':
          return () => (a() <= b() ? 1 : 0);
        case '<':
          return () => (a() < b() ? 1 : 0);
        case '>':
          return () => (a() > b() ? 1 : 0);
        case '==':
          return () => (considerEqual(a(), b()) ? 1 : 0);
        case '!=':
          return () => (considerEqual(a(), b()) ? 0 : 1);
        default:
          return arith(n.op, a, b);
      }
    }
  }
}

function formatConstant(v: number): string {
  if (v !== v) return 'nan';
  if (v === Infinity || v === -Infinity) return 'inf';
  return String(v);
}

function print(n: Node): string {
  switch (n.t) {
    case 'num':
      return formatConstant(n.v);
    case 'var':
      return '${' + n.name + '}';
    case 'un':
      return n.op === 'abs' ? `abs(${print(n.a)})` : `${n.op}${print(n.a)}`;
    case 'bin':
      return `(${print(n.a)} ${n.op} ${print(n.b)})`;
    case 'if':
      return `(${print(n.c)} ? ${print(n.a)} : ${print(n.b)})`;
  }
}

function collect(n: Node, out: Set<string>): void {
  if (n.t === 'var') out.add(n.name);
  else if (n.t === 'un') collect(n.a, out);
  else if (n.t === 'bin') {
    collect(n.a, out);
    collect(n.b, out);
  } else if (n.t === 'if') {
    collect(n.c, out);
    collect(n.a, out);
    collect(n.b, out);
  }
}

/** Throws ExpressionSyntaxError with the position of the problem. */
export function compileExpression(source: string): CompiledExpression {
  const root = new Parser(tokenize(source), source).parseAll();
  const vars = new Set<string>();
  collect(root, vars);
  return {
    source,
    parsedAs: print(root),
    variables: [...vars],
    bind: (resolve) => bindNode(root, resolve),
  };
}
