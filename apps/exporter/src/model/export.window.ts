import type { ChartSeries } from './chart.series';

/**
 * Netdata's exporting window for one chart (exporting-formats.md §7): lag 2*ue, align down to ue, the latest point
 * is left for next time. Writes [after, before] into out; before is also the reported timestamp.
 */
export function alignWindow(chart: ChartSeries, after: number, before: number, out: Int32Array): void {
  const ue = chart.updateEvery;
  let a = after - 2 * ue;
  let b = before - 2 * ue;
  a -= a % ue;
  b -= b % ue;
  b -= ue;
  if (a > b) a = b;
  out[0] = a;
  out[1] = b;
}
