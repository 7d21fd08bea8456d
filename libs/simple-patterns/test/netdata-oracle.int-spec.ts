import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SimplePattern, WHITESPACE_SEPARATORS } from '../src/index';

// Differential test: random patterns and subjects judged by the real Netdata 1.37 binary
// (`netdata -W simple-pattern`), which uses whitespace-only separators.
const NETDATA = process.env['NETDATA_BIN'] ?? '/usr/sbin/netdata';

function netdataMatches(pattern: string, subject: string): boolean {
  const r = spawnSync(NETDATA, ['-W', 'simple-pattern', pattern, subject], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.includes('RESULT: MATCHED')) return true;
  if (r.status === 1 && r.stdout.includes('RESULT: NOT MATCHED')) return false;
  throw new Error(`unexpected netdata answer (status ${r.status}): ${r.stdout}${r.stderr}`);
}

// Deterministic so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function word(next: () => number, alphabet: string, min: number, max: number): string {
  const len = min + Math.floor(next() * (max - min + 1));
  let out = '';
  for (let i = 0; i < len; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('SimplePattern agrees with the real netdata 1.37', () => {
  beforeAll(() => {
    if (!existsSync(NETDATA)) throw new Error(`real netdata not installed at ${NETDATA}`);
  });

  function compare(seed: number, cases: number, patternAlphabet: string, subjectAlphabet: string, maxPattern: number, maxSubject: number): void {
    const next = rng(seed);
    const disagreements: string[] = [];
    let matched = 0;
    for (let i = 0; i < cases; i++) {
      const pattern = word(next, patternAlphabet, 1, maxPattern);
      const subject = word(next, subjectAlphabet, 1, maxSubject);
      const ours = SimplePattern.compile(pattern, { separators: WHITESPACE_SEPARATORS }).matches(subject);
      const theirs = netdataMatches(pattern, subject);
      if (theirs) matched++;
      if (ours !== theirs) disagreements.push(`${JSON.stringify(pattern)} vs ${JSON.stringify(subject)}: netdata ${theirs}`);
    }
    expect(disagreements).toEqual([]);
    // The sample must exercise both answers, or agreement proves nothing.
    expect(matched).toBeGreaterThan(cases / 10);
    expect(matched).toBeLessThan(cases - cases / 10);
  }

  it('on 400 random pattern/subject pairs over a tiny alphabet (wildcards, negation, escapes, tabs)', () => {
    compare(20261122, 400, 'ab**! \\\t', 'ab*! ', 9, 6);
  });

  it('on 300 random address-like patterns', () => {
    compare(1937, 300, '10.**!  ', '10.', 12, 8);
  });
});
