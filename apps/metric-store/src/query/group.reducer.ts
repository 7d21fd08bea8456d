import type { Grid } from './time-window';

export type GroupMethod = 'none' | 'average' | 'min' | 'max' | 'sum' | 'median' | 'incremental-sum';

export const GROUP_METHODS: readonly string[] = ['average', 'min', 'max', 'sum', 'median', 'incremental-sum', 'none'];

/**
 * Reduces one dimension's points (ascending time) into the grid's rows, writing column `col` of the row-major
 * `out` (rows x cols). 'none' keeps the newest value of the row as stored (bit-exact, even -0). NaN points are gaps and never count; a row without any value is NaN.
 * incremental-sum adds the increments between consecutive values, the first one relative to the point before
 * the row, so that the rows of a counter add up to its total increase. `scratch` holds at least times.length values.
 */
export function reduceIntoGrid(
  times: Uint32Array,
  values: Float64Array,
  grid: Grid,
  method: GroupMethod,
  out: Float64Array,
  col: number,
  cols: number,
  scratch: Float64Array,
): void {
  const { groupS, firstEnd, rows } = grid;
  const lowest = firstEnd - groupS; // exclusive lower bound of row 0
  let row = -1;
  let n = 0;
  let acc = 0;
  let prev = NaN;
  let last = NaN;
  const flush = () => {
    if (row < 0 || row >= rows) return;
    let v = NaN;
    if (n > 0) {
      if (method === 'none') v = last;
      else if (method === 'average') v = acc / n;
      else if (method === 'median') {
        const s = scratch.subarray(0, n).sort();
        v = n % 2 === 1 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
      } else v = acc;
    }
    out[row * cols + col] = v;
  };
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const v = values[i];
    if (t <= lowest) {
      if (v === v) prev = v;
      continue;
    }
    const r = Math.ceil((t - firstEnd) / groupS);
    if (r >= rows) break;
    if (r !== row) {
      flush();
      row = r;
      n = 0;
      acc = method === 'min' ? Infinity : method === 'max' ? -Infinity : 0;
    }
    if (v !== v) continue;
    last = v;
    switch (method) {
      case 'average':
      case 'sum':
        acc += v;
        break;
      case 'min':
        if (v < acc) acc = v;
        break;
      case 'max':
        if (v > acc) acc = v;
        break;
      case 'median':
        scratch[n] = v;
        break;
      case 'incremental-sum':
        if (prev === prev) acc += v - prev;
        prev = v;
        break;
    }
    n++;
  }
  flush();
}
