import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteJournal } from './write.journal';

function bytes(a: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe('WriteJournal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ms-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays samples and topology in order and ignores a torn last record', () => {
    const j = new WriteJournal(dir);
    j.open();
    j.appendTopology('{"host":1}');
    j.append(Uint32Array.from([7, 8]), bytes(Uint32Array.from([100, 101])), bytes(Float64Array.from([1.5, NaN])), Uint8Array.from([0, 1]), 2);
    j.append(Uint32Array.from([9]), bytes(Uint32Array.from([102])), bytes(Float64Array.from([3])), new Uint8Array(0), 1);
    j.close();
    const file = join(dir, readdirSync(dir)[0]);
    truncateSync(file, statSync(file).size - 3); // a crash in the middle of the last write

    const r = new WriteJournal(dir);
    const recs = [...r.replay(r.segments())];
    expect(recs).toHaveLength(2);
    expect(recs[0]).toEqual({ kind: 'topology', json: '{"host":1}' });
    const s = recs[1];
    if (s.kind !== 'samples') throw new Error('expected samples');
    expect(Array.from(s.dimIds)).toEqual([7, 8]);
    expect(Array.from(s.times)).toEqual([100, 101]);
    expect(s.values[0]).toBe(1.5);
    expect(s.values[1]).toBeNaN();
    expect(Array.from(s.flags)).toEqual([0, 1]);
  });

  it('rotates segments and deletes only those before the given one', () => {
    const j = new WriteJournal(dir, 10, 60_000);
    j.open();
    j.append(Uint32Array.from([1]), bytes(Uint32Array.from([1])), bytes(Float64Array.from([1])), new Uint8Array(1), 1);
    expect(j.maybeRotate(Date.now())).toBe(true);
    const second = j.current;
    j.append(Uint32Array.from([1]), bytes(Uint32Array.from([2])), bytes(Float64Array.from([2])), new Uint8Array(1), 1);
    expect(j.segments()).toEqual([second - 1, second]);
    j.deleteBefore(second);
    expect(j.segments()).toEqual([second]);
    j.close();
    j.deleteBefore(Number.MAX_SAFE_INTEGER);
    expect(j.segments()).toEqual([]);
  });
});
