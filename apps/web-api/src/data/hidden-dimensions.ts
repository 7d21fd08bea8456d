import { ChartDef, QueryResponse } from '@tributary/protocol';
import { isHiddenDimension } from '../charts/chart.json';

/**
 * Netdata's /api/v1/data leaves hidden dimensions out unless asked (options=showhidden or by name): drop their
 * columns from the packed values, without decoding anything else.
 */
export function withoutHidden(res: QueryResponse, chart: ChartDef): QueryResponse {
  const hidden = new Set(chart.dimensions.filter((d) => isHiddenDimension(d.options)).map((d) => d.id));
  const dims = res.dimensionIds.length;
  const keep: number[] = [];
  for (let i = 0; i < dims; i++) if (!hidden.has(res.dimensionIds[i])) keep.push(i);
  if (keep.length === dims || keep.length === 0) return res;
  const rows = res.rows;
  const src = res.values;
  const out = Buffer.alloc(rows * keep.length * 8);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < keep.length; k++) {
      const from = (r * dims + keep[k]) * 8;
      out.set(src.subarray(from, from + 8), (r * keep.length + k) * 8);
    }
  }
  return {
    ...res,
    dimensionIds: keep.map((i) => res.dimensionIds[i]),
    dimensionNames: keep.map((i) => res.dimensionNames[i] ?? res.dimensionIds[i]),
    values: out,
  };
}
