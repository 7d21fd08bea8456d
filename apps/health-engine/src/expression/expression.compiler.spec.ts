import { compileExpression } from './expression.compiler';
import { ExpressionSyntaxError } from './expression.tokenizer';

function evaluate(src: string, vars: Record<string, number> = {}): number {
  return compileExpression(src).bind((name) => () => (name in vars ? vars[name] : NaN))();
}

describe('compileExpression', () => {
  it('applies arithmetic precedence and parentheses', () => {
    expect(evaluate('1 + 2 * 3')).toBe(7);
    expect(evaluate('(1 + 2) * 3')).toBe(9);
    expect(evaluate('10 - 4 - 3')).toBe(3);
    expect(evaluate('7 % 4 + 1')).toBe(4);
    expect(evaluate('-2 * -3')).toBe(6);
    expect(evaluate('abs(-5) + abs(2 - 10)')).toBe(13);
  });

  it('supports every comparison spelling', () => {
    expect(evaluate('3 > 2')).toBe(1);
    expect(evaluate('3 >= 3')).toBe(1);
    expect(evaluate('3 < 2')).toBe(0);
    expect(evaluate('2 <= 2')).toBe(1);
    expect(evaluate('2 == 2')).toBe(1);
    expect(evaluate('2 = 2')).toBe(1);
    expect(evaluate('2 != 2')).toBe(0);
    expect(evaluate('2 <> 3')).toBe(1);
  });

  it('supports symbolic and word logical operators', () => {
    expect(evaluate('1 && 0')).toBe(0);
    expect(evaluate('1 AND 1')).toBe(1);
    expect(evaluate('0 || 0')).toBe(0);
    expect(evaluate('0 or 1')).toBe(1);
    expect(evaluate('!0')).toBe(1);
    expect(evaluate('NOT 1')).toBe(0);
    expect(evaluate('1 > 2 OR 3 > 2 AND 1')).toBe(1);
  });

  it('evaluates the ternary lazily with the lowest precedence', () => {
    expect(evaluate('$this > (($status >= $WARNING) ? (75) : (85))', { this: 80, status: 3, WARNING: 3 })).toBe(1);
    expect(evaluate('$this > (($status >= $WARNING) ? (75) : (85))', { this: 80, status: 1, WARNING: 3 })).toBe(0);
    expect(evaluate('1 > 2 ? 10 : 2 > 1 ? 20 : 30')).toBe(20);
  });

  it('propagates NaN and infinity as Netdata does', () => {
    expect(evaluate('nan + 1')).toBeNaN();
    expect(evaluate('$missing > 1')).toBe(0);
    expect(evaluate('$missing == nan')).toBe(1);
    expect(evaluate('inf == inf')).toBe(1);
    expect(evaluate('-inf')).toBe(Infinity);
    expect(evaluate('1 / 0')).toBe(Infinity);
    expect(evaluate('inf > 5')).toBe(1);
    expect(evaluate('nan || 1')).toBe(1);
    expect(evaluate('nan && 1')).toBe(0);
    expect(evaluate('inf && 1')).toBe(1);
  });

  it('reads $name, ${braced name} and dotted variables', () => {
    const e = compileExpression('$this + ${system.cpu.user} - $a_b.c');
    expect(e.variables).toEqual(['this', 'system.cpu.user', 'a_b.c']);
    expect(e.parsedAs).toBe('((${this} + ${system.cpu.user}) - ${a_b.c})');
    expect(evaluate('$this + ${system.cpu.user} - $a_b.c', { this: 1, 'system.cpu.user': 10, 'a_b.c': 4 })).toBe(7);
  });

  it('rejects malformed expressions with a position', () => {
    expect(() => compileExpression('1 +')).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression('(1 + 2')).toThrow("missing ')'");
    expect(() => compileExpression('this > 1')).toThrow(/variables need a \$/);
    expect(() => compileExpression('1 ? 2')).toThrow("missing ':'");
    try {
      compileExpression('1 + # 2');
    } catch (e) {
      expect((e as ExpressionSyntaxError).position).toBe(4);
    }
  });
});
