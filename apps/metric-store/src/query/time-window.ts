/** Netdata's /api/v1/data time parameters: absolute unix seconds, or relative when within 3 years of zero. */
const RELATIVE_MAX = 3 * 365 * 86400;

export interface TimeWindow {
  afterS: number;
  beforeS: number;
}

export function resolveWindow(after: number, before: number, nowS: number): TimeWindow {
  let b = before;
  if (b === 0) b = nowS;
  else if (Math.abs(b) <= RELATIVE_MAX) b = nowS - Math.abs(b);
  let a = after === 0 ? -600 : after;
  if (Math.abs(a) <= RELATIVE_MAX) a = b - Math.abs(a);
  if (a > b) [a, b] = [b, a];
  return { afterS: a, beforeS: b };
}

export interface Grid {
  /** Seconds per row. */
  groupS: number;
  /** End time of the oldest row; row k covers (firstEnd + (k-1)*groupS, firstEnd + k*groupS]. */
  firstEnd: number;
  rows: number;
}

/** Rows of a query: every stored slot (groupS = update_every) or `points` groups, ends aligned to the group size. */
export function buildGrid(w: TimeWindow, updateEvery: number, points: number, groupTime: number, raw: boolean): Grid {
  const ue = Math.max(1, updateEvery);
  let groupS = ue;
  if (!raw) {
    if (groupTime > 0) groupS = Math.max(ue, Math.ceil(groupTime / ue) * ue);
    else if (points > 0) groupS = Math.max(ue, Math.ceil((w.beforeS - w.afterS) / points / ue) * ue);
  }
  // Netdata aligns the window's end to the grid (update_every or the group), so update-every-2 rows stay on even seconds.
  const lastEnd = Math.floor(w.beforeS / groupS) * groupS;
  let rows = Math.floor((lastEnd - w.afterS + 1) / groupS);
  if (rows < 0) rows = 0;
  if (points > 0 && rows > points) rows = points;
  return { groupS, firstEnd: lastEnd - (rows - 1) * groupS, rows };
}
