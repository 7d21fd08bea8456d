import { AppliedBatches } from './applied-batches';

describe('AppliedBatches', () => {
  it('knows the ids a writer applied, per writer', () => {
    const a = new AppliedBatches();
    a.add('w1', 5, 0);
    expect(a.has('w1', 5)).toBe(true);
    expect(a.has('w1', 6)).toBe(false);
    expect(a.has('w2', 5)).toBe(false);
  });

  it('remembers nothing for a writer without an id', () => {
    const a = new AppliedBatches();
    a.add('', 1, 0);
    expect(a.has('', 1)).toBe(false);
  });

  it('forgets ids below the writer\'s settled mark once many are kept', () => {
    const a = new AppliedBatches();
    for (let id = 1; id <= 5000; id++) a.add('w', id, id - 10);
    expect(a.count('w')).toBeLessThan(4200);
    expect(a.has('w', 4995)).toBe(true);
    expect(a.has('w', 100)).toBe(false);
  });

  it('keeps a bounded number of writers, forgetting the least recently used', () => {
    const a = new AppliedBatches();
    a.add('old', 1, 0);
    a.add('kept', 1, 0);
    for (let i = 0; i < 62; i++) a.add(`w${i}`, 1, 0);
    a.add('kept', 2, 0);
    a.add('new', 1, 0);
    expect(a.has('old', 1)).toBe(false);
    expect(a.has('kept', 1)).toBe(true);
  });
});
