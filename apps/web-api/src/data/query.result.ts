import { QueryResponse } from '@tributary/protocol';

/** A QueryResponse's packed columns, decoded once into typed arrays (no object per point). */
export interface QueryResult {
  dimensionIds: string[];
  dimensionNames: string[];
  rows: number;
  /** unix seconds, oldest first */
  times: Uint32Array;
  /** rows x dimensions, row-major, NaN = no data */
  values: Float64Array;
}

export function decodeQueryResponse(res: QueryResponse): QueryResult {
  const dims = res.dimensionIds.length;
  const timeBytes = res.timeS;
  const valueBytes = res.values;
  const rows = Math.min(res.rows, Math.floor(timeBytes.length / 4), dims ? Math.floor(valueBytes.length / (8 * dims)) : res.rows);
  const times = new Uint32Array(rows);
  const values = new Float64Array(rows * dims);
  const tv = new DataView(timeBytes.buffer, timeBytes.byteOffset, timeBytes.byteLength);
  const vv = new DataView(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength);
  for (let i = 0; i < rows; i++) times[i] = tv.getUint32(i * 4, true);
  for (let i = 0; i < rows * dims; i++) values[i] = vv.getFloat64(i * 8, true);
  return {
    dimensionIds: res.dimensionIds,
    dimensionNames: res.dimensionNames.length === dims ? res.dimensionNames : res.dimensionIds,
    rows,
    times,
    values,
  };
}

/** Keeps only the given dimension columns (options=nonzero). */
export function selectDimensions(r: QueryResult, keep: number[]): QueryResult {
  const dims = r.dimensionIds.length;
  const values = new Float64Array(r.rows * keep.length);
  for (let row = 0; row < r.rows; row++) {
    for (let k = 0; k < keep.length; k++) values[row * keep.length + k] = r.values[row * dims + keep[k]];
  }
  return {
    dimensionIds: keep.map((i) => r.dimensionIds[i]),
    dimensionNames: keep.map((i) => r.dimensionNames[i]),
    rows: r.rows,
    times: r.times,
    values,
  };
}
