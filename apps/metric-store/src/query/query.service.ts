import type { QueryRequest, QueryResponse } from '@tributary/protocol';
import { decodePage } from '../page/page.codec';
import type { SealedPage } from '../model/series';
import type { DimRec } from '../model/topology';
import type { MetricStore } from '../store/metric.store';
import { bytesOf } from '../util/typed.views';
import { GROUP_METHODS, GroupMethod, reduceIntoGrid } from './group.reducer';
import { buildGrid, resolveWindow } from './time-window';

export class QueryError extends Error {
  constructor(
    readonly kind: 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

interface Chunk {
  times: Uint32Array;
  values: Float64Array;
}

/** Range queries as Netdata's /api/v1/data: stored pages + in-memory pages + the open page, merged per dimension. */
export class QueryService {
  constructor(private readonly store: MetricStore) {}

  async query(req: QueryRequest, nowMs = Date.now()): Promise<QueryResponse> {
    const host = this.store.registry.findHost(req.host);
    if (!host) throw new QueryError('not-found', `host '${req.host}' not found`);
    const chart = this.store.registry.findChart(host, req.chart);
    if (!chart) throw new QueryError('not-found', `chart '${req.chart}' not found on host '${host.info.hostname}'`);
    const group = req.group || 'average';
    if (!GROUP_METHODS.includes(group)) throw new QueryError('invalid', `unknown group '${group}'`);
    let dims: DimRec[] = chart.dims;
    if (req.dimensions.length > 0) {
      const wanted = new Set(req.dimensions);
      dims = chart.dims.filter((d) => wanted.has(d.def.id) || wanted.has(d.def.name));
      if (dims.length === 0) throw new QueryError('not-found', `no dimension of ${chart.def.id} matches ${req.dimensions.join(',')}`);
    }
    const nowS = Math.floor(nowMs / 1000);
    const w = resolveWindow(req.after, req.before, nowS);
    const cutoff = nowS - host.historyS;
    if (w.afterS <= cutoff) w.afterS = cutoff + 1;
    const raw = group === 'none' || (req.points === 0 && req.groupTime === 0);
    const grid = buildGrid(w, chart.updateEvery, req.points, req.groupTime, raw);
    const lowest = grid.firstEnd - grid.groupS + 1;
    // Snapshot memory before reading PostgreSQL: a page flushed meanwhile is then found in one place or both.
    const memory = dims.map((d) => this.memoryChunks(d, lowest - grid.groupS, w.beforeS));
    const stored: Chunk[][] = dims.map(() => []);
    let firstEntry = 0;
    let lastEntry = 0;
    for (const d of dims) {
      if (d.series.firstS > 0 && (firstEntry === 0 || d.series.firstS < firstEntry)) firstEntry = d.series.firstS;
      if (d.series.lastS > lastEntry) lastEntry = d.series.lastS;
    }
    if (host.persisted && grid.rows > 0) {
      const index = new Map(dims.map((d, i) => [d.id, i]));
      const rows = await this.store.readStoredPages(
        dims.map((d) => d.id),
        lowest - grid.groupS,
        w.beforeS,
      );
      for (const row of rows) {
        const i = index.get(row.dimension_id);
        if (i === undefined || memory[i].starts.has(row.start_s)) continue;
        stored[i].push(decodePage(row.data));
      }
    }
    const cols = dims.length;
    const out = new Float64Array(grid.rows * cols).fill(NaN);
    const method = (raw ? 'none' : group) as GroupMethod;
    for (let i = 0; i < cols; i++) {
      const merged = merge([...stored[i], ...memory[i].chunks], cutoff);
      reduceIntoGrid(merged.times, merged.values, grid, method, out, i, cols, new Float64Array(method === 'median' ? merged.times.length : 0));
    }
    const times = new Uint32Array(grid.rows);
    for (let r = 0; r < grid.rows; r++) times[r] = grid.firstEnd + r * grid.groupS;
    return {
      machineGuid: host.guid,
      chartId: chart.def.id,
      dimensionIds: dims.map((d) => d.def.id),
      dimensionNames: dims.map((d) => d.def.name),
      after: grid.rows > 0 ? times[0] : w.afterS,
      before: grid.rows > 0 ? times[grid.rows - 1] : w.beforeS,
      updateEvery: grid.groupS,
      rows: grid.rows,
      timeS: bytesOf(times),
      values: bytesOf(out),
      firstEntryS: firstEntry > cutoff ? firstEntry : lastEntry > 0 ? cutoff + 1 : 0,
      lastEntryS: lastEntry,
    };
  }

  private memoryChunks(d: DimRec, fromS: number, toS: number): { chunks: Chunk[]; starts: Set<number> } {
    const s = d.series;
    const chunks: Chunk[] = [];
    const starts = new Set<number>();
    const pages: SealedPage[] = s.sealed.slice();
    for (const p of pages) {
      starts.add(p.startS);
      if (p.endS < fromS || p.startS > toS) continue;
      chunks.push(decodePage(p.data));
    }
    if (s.count > 0) chunks.push({ times: s.times.slice(0, s.count), values: s.values.slice(0, s.count) });
    return { chunks, starts };
  }
}

/** Concatenates chunks in time order, dropping points at or before the retention cutoff and duplicate times. */
function merge(chunks: Chunk[], cutoff: number): Chunk {
  let total = 0;
  for (const c of chunks) total += c.times.length;
  chunks.sort((a, b) => (a.times[0] ?? 0) - (b.times[0] ?? 0));
  let times = new Uint32Array(total);
  let values = new Float64Array(total);
  let n = 0;
  let sorted = true;
  for (const c of chunks) {
    for (let i = 0; i < c.times.length; i++) {
      const t = c.times[i];
      if (t <= cutoff) continue;
      if (n > 0 && t <= times[n - 1]) sorted = false;
      times[n] = t;
      values[n++] = c.values[i];
    }
  }
  times = times.subarray(0, n);
  values = values.subarray(0, n);
  if (!sorted) {
    // Overlapping pages (a writer went back in time): order by time, the later-written point wins a tie.
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
    const t2 = new Uint32Array(n);
    const v2 = new Float64Array(n);
    let m = 0;
    for (const i of idx) {
      if (m > 0 && t2[m - 1] === times[i]) {
        v2[m - 1] = values[i];
        continue;
      }
      t2[m] = times[i];
      v2[m++] = values[i];
    }
    return { times: t2.subarray(0, m), values: v2.subarray(0, m) };
  }
  return { times, values };
}
