import { reduceIntoGrid, type GroupMethod } from './group.reducer';
import { buildGrid, resolveWindow } from './time-window';

function run(method: GroupMethod, times: number[], values: number[], grid = { groupS: 5, firstEnd: 105, rows: 3 }): number[] {
  const out = new Float64Array(grid.rows).fill(NaN);
  reduceIntoGrid([{ times: Uint32Array.from(times), values: Float64Array.from(values) }], grid, method, out, 0, 1);
  return Array.from(out);
}

describe('reduceIntoGrid', () => {
  // Rows: (100,105], (105,110], (110,115].
  const t = [99, 101, 102, 103, 104, 105, 106, 107, 112, 113, 114, 115, 116];
  const v = [50, 1, 9, NaN, 4, 2, 10, 20, 7, 5, 3, 1, 100];

  it('average, sum, min, max ignore gaps and points outside the rows', () => {
    expect(run('average', t, v)).toEqual([4, 15, 4]);
    expect(run('sum', t, v)).toEqual([16, 30, 16]);
    expect(run('min', t, v)).toEqual([1, 10, 1]);
    expect(run('max', t, v)).toEqual([9, 20, 7]);
  });

  it('median of odd and even counts', () => {
    expect(run('median', t, v)).toEqual([3, 15, 4]);
  });

  it('incremental-sum starts from the point before the row', () => {
    expect(run('incremental-sum', t, v)).toEqual([2 - 50, 20 - 2, 1 - 20]);
  });

  it('none keeps the newest value; an empty row stays NaN', () => {
    expect(run('none', [101, 103, 112], [1, -0, 3])).toEqual([-0, NaN, 3]);
    expect(Object.is(run('none', [101, 103], [1, -0])[0], -0)).toBe(true);
  });
});

describe('time window and grid', () => {
  it('treats small values as relative, as Netdata does', () => {
    expect(resolveWindow(-600, 0, 1_700_000_000)).toEqual({ afterS: 1_699_999_400, beforeS: 1_700_000_000 });
    expect(resolveWindow(0, -60, 1_700_000_000)).toEqual({ afterS: 1_699_999_340, beforeS: 1_699_999_940 });
    expect(resolveWindow(1_600_000_000, 1_600_000_100, 1_700_000_000)).toEqual({ afterS: 1_600_000_000, beforeS: 1_600_000_100 });
  });

  it('returns every slot without grouping and aligned groups with points', () => {
    expect(buildGrid({ afterS: 1001, beforeS: 1010 }, 1, 0, 0, true)).toEqual({ groupS: 1, firstEnd: 1001, rows: 10 });
    expect(buildGrid({ afterS: 1000, beforeS: 1600 }, 1, 20, 0, false)).toEqual({ groupS: 30, firstEnd: 1050, rows: 19 });
    expect(buildGrid({ afterS: 1000, beforeS: 1600 }, 10, 0, 25, false)).toEqual({ groupS: 30, firstEnd: 1050, rows: 19 });
  });

  it('aligns the last row to update_every when not grouping (update every 2 stays on even seconds)', () => {
    expect(buildGrid({ afterS: 1000, beforeS: 1011 }, 2, 0, 0, true)).toEqual({ groupS: 2, firstEnd: 1002, rows: 5 });
  });
});
