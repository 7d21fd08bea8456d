import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * A real Netdata 1.37.1 child's stream (what follows its STREAM request), captured with
 * `../shared/tools/netdata-child/ndrelay.py` between the child (`--no-compression`) and a real 1.37.1 parent, on the
 * child's reconnect after 15 s down: host labels, ~300 chart definitions each answered by replication (RBEGIN,
 * RSET, RDSTATE, RSSTATE, REND), FUNCTION definitions and live BEGIN/SET/END. Its first 12,000 lines.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'netdata-1.37.1-reconnect.stream.gz');
/** The capture's wall clock (its CHART_DEFINITION_END `now`). */
const CAPTURED_AT_S = 1796685125;
const DAY_S = 86400;

/**
 * The captured stream with every timestamp (seconds and microseconds within a day of the capture) moved to `nowS`,
 * so that replication and live data land inside this parent's retention, as a fresh capture would.
 */
export function capturedStream(nowS = Math.floor(Date.now() / 1000)): Buffer {
  const shift = nowS - CAPTURED_AT_S;
  const text = gunzipSync(readFileSync(FIXTURE)).toString('latin1');
  const moved = text
    .replace(/\b1\d{15}\b/g, (us) => {
      const v = Number(us);
      return Math.abs(v / 1e6 - CAPTURED_AT_S) <= DAY_S ? String(v + shift * 1e6) : us;
    })
    .replace(/\b1\d{9}\b/g, (s) => {
      const v = Number(s);
      return Math.abs(v - CAPTURED_AT_S) <= DAY_S ? String(v + shift) : s;
    });
  return Buffer.from(moved, 'latin1');
}

/** A seeded generator (mulberry32): the same seed gives the same cases, so a failure can be replayed. */
export function seededRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(r * n);
  };
}

export type Mutation = 'flip' | 'delete' | 'duplicate';

/**
 * `count` random edits of `data`: a flipped byte, a deleted run or a duplicated run (up to 64 bytes), the kinds of
 * damage a broken link or a buggy sender does.
 */
export function mutate(data: Buffer, rnd: (n: number) => number, count: number): { data: Buffer; edits: string[] } {
  let out = Buffer.from(data);
  const edits: string[] = [];
  for (let k = 0; k < count; k++) {
    const kind: Mutation = (['flip', 'delete', 'duplicate'] as const)[rnd(3)];
    const at = rnd(out.length);
    const len = 1 + rnd(64);
    if (kind === 'flip') out[at] = rnd(256);
    else if (kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + len))]);
    else out = Buffer.concat([out.subarray(0, at + len), out.subarray(at, Math.min(out.length, at + len)), out.subarray(at + len)]);
    edits.push(`${kind}@${at}${kind === 'flip' ? '' : `+${len}`}`);
  }
  return { data: out, edits };
}
