// Computes a lookup over the rings of one chart, as Netdata's rrd2value: every dimension is grouped over the window
// on its own, then the selected dimensions are summed (or min2max), optionally as a percentage of all dimensions.
// One shared scratch buffer serves the median: no allocation per evaluation.
import { LookupMethod, LookupSpec } from '../definition/health-definition';
import { DimensionRing } from './dimension.ring';

let scratch = new Float64Array(1024);

/** Groups the points of `ring` with after < t <= before; NaN when there is none. */
export function groupRing(ring: DimensionRing, method: LookupMethod, after: number, before: number, absolute: boolean): number {
  const values = ring.values;
  const cap = ring.capacity;
  const lo = ring.firstAfter(after);
  const hi = ring.firstAfter(before);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let first = NaN;
  let last = NaN;
  let mean = 0;
  let m2 = 0;
  let level = NaN;
  let trend = 0;
  if (method === 'median' && scratch.length < hi - lo) scratch = new Float64Array((hi - lo) * 2);
  let s = lo < hi ? ring.slot(lo) : 0;
  for (let i = lo; i < hi; i++, s = s + 1 === cap ? 0 : s + 1) {
    let v = values[s];
    if (v !== v) continue;
    if (absolute && v < 0) v = -v;
    if (count === 0) first = v;
    last = v;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (method === 'median') scratch[count - 1] = v;
    else if (method === 'ses' || method === 'des') {
      if (count === 1) level = v;
      else if (method === 'ses') level = level + 0.3 * (v - level);
      else {
        const prev = level;
        level = 0.3 * v + 0.7 * (level + trend);
        trend = 0.3 * (level - prev) + 0.7 * trend;
      }
    }
  }
  if (count === 0) return NaN;
  switch (method) {
    case 'average':
      return sum / count;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'sum':
      return sum;
    case 'incremental-sum':
      return last - first;
    case 'median': {
      const view = scratch.subarray(0, count);
      view.sort();
      return count % 2 ? view[(count - 1) >> 1] : (view[count / 2 - 1] + view[count / 2]) / 2;
    }
    case 'stddev':
      return count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    case 'cv': {
      const sd = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
      return mean === 0 ? 0 : (100 * sd) / Math.abs(mean);
    }
    case 'ses':
      return level;
    case 'des':
      return level + trend;
  }
}

export interface LookupWindow {
  after: number;
  before: number;
}

/** Absolute window of a lookup evaluated at `now`: relative `before`, aligned to the window length unless unaligned. */
export function lookupWindow(spec: LookupSpec, now: number, out: LookupWindow): LookupWindow {
  let before = now + spec.before;
  const duration = -spec.after;
  if (!spec.unaligned && duration > 0) before -= before % duration;
  out.before = before;
  out.after = before - duration;
  return out;
}

/**
 * `rings[i]` is the ring of dimension i (null when not kept), `selected[i]` whether it is in `of DIMS`.
 * Returns NaN when no selected dimension has data (unless null2zero).
 */
export function computeLookup(
  spec: LookupSpec,
  rings: readonly (DimensionRing | null)[],
  selected: Uint8Array,
  window: LookupWindow,
): number {
  let total = 1;
  if (spec.percentage) {
    total = 0;
    for (let i = 0; i < rings.length; i++) {
      const r = rings[i];
      if (!r) continue;
      let v = groupRing(r, spec.method, window.after, window.before, spec.absolute);
      if (v !== v) continue;
      if (v < 0) v = -v;
      total += v;
    }
    if (total === 0) total = 1;
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let any = false;
  for (let i = 0; i < rings.length; i++) {
    if (!selected[i]) continue;
    const r = rings[i];
    let v = r ? groupRing(r, spec.method, window.after, window.before, spec.absolute) : NaN;
    if (v !== v) {
      if (!spec.null2zero) continue;
      v = 0;
    }
    if (spec.percentage) v = (v * 100) / total;
    any = true;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!any) return NaN;
  return spec.min2max ? max - min : sum;
}
