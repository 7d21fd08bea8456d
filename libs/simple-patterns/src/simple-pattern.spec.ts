import { SimplePattern, WHITESPACE_SEPARATORS } from './index';

// Expected answers were produced by the real Netdata 1.37.1 (`netdata -W simple-pattern PATTERN SUBJECT`);
// test/netdata-oracle.int-spec.ts re-checks random cases against that binary on every run.
const NETDATA_TABLE: ReadonlyArray<readonly [string, string, boolean]> = [
    ["!10.1.2.3 10.*", "10.1.2.3", false],
    ["!10.1.2.3 10.*", "10.1.2.4", true],
    ["!10.1.2.3 10.*", "10.1.2.30", true],
    ["!10.1.2.3 10.*", "192.168.1.1", false],
    ["!10.1.2.3 10.*", "10.", true],
    ["! 10.*", "10.1.2.3", true],
    ["*", "anything", true],
    ["*", "*", true],
    ["!*", "anything", false],
    ["!* *", "anything", false],
    ["* !*", "anything", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "abcc", true],
    ["a*b*c", "acb", false],
    ["a*b*c", "ab", false],
    ["*a*b*c", "xaybzc", true],
    ["*a*b*c", "abc", true],
    ["*a*b*", "zzaqqbqq", true],
    ["*a*b*", "zzaqq", false],
    ["abc*", "abcdef", true],
    ["abc*", "abc", true],
    ["abc*", "xabc", false],
    ["*abc", "xxabc", true],
    ["*abc", "abcx", false],
    ["*abc*", "xxabcyy", true],
    ["*abc*", "abc", true],
    ["*abc*", "ab", false],
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["abc", "ABC", false],
    ["a**b", "aXb", false],
    ["a**b", "aX*b", true],
    ["***", "a*b", true],
    ["***", "ab", false],
    ["**", "x", true],
    ["a**", "a", true],
    ["*a*a", "aa", true],
    ["*a*a", "a", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*ab*b", "xabab", true],
    ["localhost *", "localhost", true],
    ["!localhost *", "localhost", false],
    ["!127.* *", "127.0.0.1", false],
    ["!127.* *", "localhost", true],
    ["!*bad* *", "verybadthing", false],
    ["!*bad* *", "good", true],
    ["*foobar* !foo* !*bar *", "foobar", true],
    ["*foobar* !foo* !*bar *", "foo", false],
    ["*foobar* !foo* !*bar *", "xbar", false],
    ["*foobar* !foo* !*bar *", "other", true],
    ["\\!a", "!a", true],
    ["\\!a", "a", false],
    ["!!a", "!a", false],
    ["!!a", "a", false],
    ["a\\ b", "a b", true],
    ["a\\ b", "a", false],
    ["a\\*b", "aXb", true],
    ["a\\*b", "a*b", true],
    ["a\\\\b", "a\\b", true],
];

describe('SimplePattern, Netdata 1.37 answers', () => {
  it.each(NETDATA_TABLE)('%j matches %j -> %s', (pattern, subject, expected) => {
    expect(SimplePattern.compile(pattern).matches(subject)).toBe(expected);
  });
});

describe('SimplePattern, separators', () => {
  it.each([
    ['a|b', 'a', true],
    ['a|b', 'b', true],
    ['a|b', 'a|b', false],
    ['!a|*', 'a', false],
    ['!a|*', 'c', true],
    ['a\\|b', 'a|b', true],
    ['a\tb', 'b', true],
    ['a\nb', 'b', true],
    ['a\r\n\f\vb', 'b', true],
    ['  a   b  ', 'b', true],
    ['a  b', '', false],
  ] as const)('%j matches %j -> %s', (pattern, subject, expected) => {
    expect(SimplePattern.compile(pattern).matches(subject)).toBe(expected);
  });

  it('whitespace-only separators keep `|` literal, as the netdata CLI does', () => {
    const p = SimplePattern.compile('a|b', { separators: WHITESPACE_SEPARATORS });
    expect(p.matches('a|b')).toBe(true);
    expect(p.matches('a')).toBe(false);
  });

  it('counts tokens, dropping empty ones and lone `!`', () => {
    expect(SimplePattern.compile('a b  c').size).toBe(3);
    expect(SimplePattern.compile('! a').size).toBe(1);
    expect(SimplePattern.compile('a \\ ').size).toBe(2);
  });
});

describe('SimplePattern, empty patterns', () => {
  it.each(['', '   ', '\t\n', '!', ' ! ', '|'])('%j is empty', (text) => {
    expect(SimplePattern.compile(text).empty).toBe(true);
  });

  it('an empty pattern matches nothing by default', () => {
    const p = SimplePattern.compile('');
    expect(p.matches('x')).toBe(false);
    expect(p.matches('')).toBe(false);
  });

  it('an empty pattern matches everything with emptyMatchesAll (allow from)', () => {
    const p = SimplePattern.compile(' ', { emptyMatchesAll: true });
    expect(p.matches('10.1.2.3')).toBe(true);
    expect(p.matches('')).toBe(true);
  });

  it('a non-empty pattern is unaffected by emptyMatchesAll', () => {
    const p = SimplePattern.compile('10.*', { emptyMatchesAll: true });
    expect(p.empty).toBe(false);
    expect(p.matches('192.168.0.1')).toBe(false);
    expect(p.matches('')).toBe(false);
  });

  it('an empty subject never matches, not even `*`', () => {
    expect(SimplePattern.compile('*').matches('')).toBe(false);
    expect(SimplePattern.compile('!x *').matches('')).toBe(false);
  });
});

describe('SimplePattern, three-way test and default modes', () => {
  it('tells a negative match from no match', () => {
    const p = SimplePattern.compile('!10.1.2.3 10.*');
    expect(p.test('10.1.2.3')).toBe('negative');
    expect(p.test('10.9.9.9')).toBe('positive');
    expect(p.test('11.0.0.1')).toBe('none');
  });

  it('applies the default mode to tokens without `*`', () => {
    expect(SimplePattern.compile('abc', { defaultMode: 'prefix' }).matches('abcdef')).toBe(true);
    expect(SimplePattern.compile('abc', { defaultMode: 'suffix' }).matches('xxabc')).toBe(true);
    expect(SimplePattern.compile('abc', { defaultMode: 'substring' }).matches('xabcx')).toBe(true);
    expect(SimplePattern.compile('abc', { defaultMode: 'prefix' }).matches('xabc')).toBe(false);
  });

  it('keeps the source text', () => {
    expect(SimplePattern.compile('a b').source).toBe('a b');
  });
});
