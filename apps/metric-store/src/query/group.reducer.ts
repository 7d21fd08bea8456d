import type { Grid } from './time-window';

export type GroupMethod = 'none' | 'average' | 'min' | 'max' | 'sum' | 'median' | 'incremental-sum';

export const GROUP_METHODS: readonly string[] = ['average', 'min', 'max', 'sum', 'median', 'incremental-sum', 'none'];

/** A run of points of one dimension in ascending time. */
export interface Chunk {
  times: Uint32Array;
  values: Float64Array;
}

/**
 * Reduces one dimension's chunks (in time order, not overlapping) into the grid's rows, writing column `col` of the
 * row-major `out` (rows x cols, pre-filled with NaN). Row r covers (lowest + r*g, lowest + (r+1)*g]; points at or
 * before `lowest` only seed incremental-sum. NaN points are gaps and never count; a row without values stays NaN.
 * 'none' keeps the newest value of a row bit-exactly (even -0). incremental-sum adds the increments between
 * consecutive values, the first one relative to the point before the row, so a counter's rows add up to its increase.
 * One tight loop per method: this is the query hot path.
 */
export function reduceIntoGrid(chunks: Chunk[], grid: Grid, method: GroupMethod, out: Float64Array, col: number, cols: number): void {
  switch (method) {
    case 'none':
      return reduceLast(chunks, grid, out, col, cols);
    case 'min':
      return reduceMin(chunks, grid, out, col, cols);
    case 'max':
      return reduceMax(chunks, grid, out, col, cols);
    case 'sum':
    case 'average':
      return reduceSum(chunks, grid, out, col, cols, method === 'average');
    case 'median':
      return reduceMedian(chunks, grid, out, col, cols);
    case 'incremental-sum':
      return reduceIncrements(chunks, grid, out, col, cols);
  }
}

function reduceLast(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t <= lowest) continue;
      const r = ((t - lowest - 1) / g) | 0;
      if (r >= rows) return;
      const v = values[i];
      if (v === v) out[r * cols + col] = v;
    }
  }
}

function reduceMin(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t <= lowest) continue;
      const r = ((t - lowest - 1) / g) | 0;
      if (r >= rows) return;
      const v = values[i];
      const k = r * cols + col;
      if (v === v && !(out[k] <= v)) out[k] = v;
    }
  }
}

function reduceMax(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t <= lowest) continue;
      const r = ((t - lowest - 1) / g) | 0;
      if (r >= rows) return;
      const v = values[i];
      const k = r * cols + col;
      if (v === v && !(out[k] >= v)) out[k] = v;
    }
  }
}

function reduceSum(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number, average: boolean): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  let row = -1;
  let n = 0;
  let acc = 0;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t <= lowest) continue;
      const r = ((t - lowest - 1) / g) | 0;
      if (r !== row) {
        if (n > 0) out[row * cols + col] = average ? acc / n : acc;
        if (r >= rows) return;
        row = r;
        n = 0;
        acc = 0;
      }
      const v = values[i];
      if (v === v) {
        acc += v;
        n++;
      }
    }
  }
  if (n > 0) out[row * cols + col] = average ? acc / n : acc;
}

/** Median of scratch[0..n), n >= 1; insertion sort: rows hold a handful of points. */
function medianOf(scratch: Float64Array, n: number): number {
  if (n > 64) {
    const s = scratch.subarray(0, n).sort();
    return n % 2 === 1 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  for (let i = 1; i < n; i++) {
    const x = scratch[i];
    let j = i - 1;
    while (j >= 0 && scratch[j] > x) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = x;
  }
  return n % 2 === 1 ? scratch[(n - 1) >> 1] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

function reduceMedian(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  let max = 0;
  for (const c of chunks) max += c.times.length;
  const scratch = new Float64Array(Math.max(1, Math.min(max, g * 4)));
  let row = -1;
  let n = 0;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t <= lowest) continue;
      const r = ((t - lowest - 1) / g) | 0;
      if (r !== row) {
        if (n > 0) out[row * cols + col] = medianOf(scratch, n);
        if (r >= rows) return;
        row = r;
        n = 0;
      }
      const v = values[i];
      if (v === v && n < scratch.length) scratch[n++] = v;
    }
  }
  if (n > 0) out[row * cols + col] = medianOf(scratch, n);
}

function reduceIncrements(chunks: Chunk[], grid: Grid, out: Float64Array, col: number, cols: number): void {
  const { groupS: g, rows } = grid;
  const lowest = grid.firstEnd - g;
  let prev = NaN;
  for (const c of chunks) {
    const times = c.times;
    const values = c.values;
    for (let i = 0; i < times.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      const t = times[i];
      if (t > lowest) {
        const r = ((t - lowest - 1) / g) | 0;
        if (r >= rows) return;
        const k = r * cols + col;
        const cur = out[k];
        const inc = prev === prev ? v - prev : 0;
        out[k] = cur === cur ? cur + inc : inc;
      }
      prev = v;
    }
  }
}
