import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineTokens, MAX_WORDS, tokenizeLine, tokenizeString } from './line.tokenizer';
import { parseCDouble, parseCDoubleString, parseCInteger, parseCIntegerString } from './c-number';

describe('line tokenizer (pluginsd_split_words)', () => {
  it.each<[string, string[]]>([
    ['CHART "netdata.queries" "" "Netdata DB Queries" "queries/s" "queries" "netdata.queries" "stacked" 131000 1 "   " "netdata" "stats"',
      ['CHART', 'netdata.queries', '', 'Netdata DB Queries', 'queries/s', 'queries', 'netdata.queries', 'stacked', '131000', '1', '   ', 'netdata', 'stats']],
    ['SET "/api/v1/data" = 0', ['SET', '/api/v1/data', '0']],
    ['VARIABLE HOST x=1.5', ['VARIABLE', 'HOST', 'x', '1.5']],
    ["RBEGIN '' 1795343747 1795343748 1795343777", ['RBEGIN', '', '1795343747', '1795343748', '1795343777']],
    ['  a\t\tb\r', ['a', 'b']],
    ['a"b c', ['a"b', 'c']],
    ['"it\'s" \'say "x"\'', ["it's", 'say "x"']],
    ['"a\\"b" c', ['a\\"b', 'c']],
    ['"abc"def', ['abc', 'def']],
    ['x "', ['x']],
    ['x ""', ['x', '']],
    ['"unterminated value', ['unterminated value']],
    ['', []],
  ])('%s', (line, words) => {
    expect(tokenizeString(line)).toEqual(words);
  });

  it('keeps at most 20 words', () => {
    const words = tokenizeString(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '));
    expect(words).toHaveLength(MAX_WORDS);
    expect(words[19]).toBe('w19');
  });

  it('tokenizes every line of a real child stream; every SET has a dimension and a value', () => {
    const buf = readFileSync(join(__dirname, '../../test/captures/child-plain.txt'));
    const t = new LineTokens();
    let start = 0;
    let sets = 0;
    let charts = 0;
    for (let nl = buf.indexOf(10); nl >= 0; start = nl + 1, nl = buf.indexOf(10, start)) {
      const n = tokenizeLine(buf, start, nl, t);
      if (t.is(0, 'SET')) {
        expect(n).toBe(3);
        expect(Number.isFinite(parseCInteger(buf, t.starts[2], t.ends[2]))).toBe(true);
        sets++;
      }
      if (t.is(0, 'CHART')) {
        expect(n).toBe(13);
        charts++;
      }
    }
    expect(charts).toBeGreaterThan(40);
    expect(sets).toBeGreaterThan(100);
  });
});

describe('C numbers', () => {
  it.each<[string, number]>([['42', 42], ['-7', -7], ['0x1f', 31], ['010', 8], ['12abc', 12], ['', 0], [' +5', 5], ['9223372036854775807', 2 ** 63 - 1]])(
    'strtoll %s', (s, v) => expect(parseCIntegerString(s)).toBe(v));
  it.each<[string, number]>([['32768.0000000', 32768], ['-1.5', -1.5], ['1e3', 1000], ['0x10', 16], ['inf', Infinity], ['-INF', -Infinity], ['3.25xyz', 3.25], ['', 0]])(
    'strtod %s', (s, v) => expect(parseCDoubleString(s)).toBe(v));
  it('strtod nan and the byte fast path', () => {
    expect(parseCDoubleString('-nan')).toBeNaN();
    const b = Buffer.from('x 123.4500000 y');
    expect(parseCDouble(b, 2, 13)).toBeCloseTo(123.45, 10);
    expect(parseCDouble(Buffer.from('NAN'), 0, 3)).toBeNaN();
  });
});
