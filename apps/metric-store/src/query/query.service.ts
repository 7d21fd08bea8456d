import type { QueryRequest, QueryResponse } from '@tributary/protocol';
import type { DimRec } from '../model/topology';
import type { StoredPageRef } from '../db/store.repository';
import type { MetricStore } from '../store/metric.store';
import { DecodedPageCache } from './decoded-page.cache';
import { bytesOf } from '../util/typed.views';
import { Chunk, GROUP_METHODS, GroupMethod, reduceIntoGrid } from './group.reducer';
import { buildGrid, resolveWindow } from './time-window';

export class QueryError extends Error {
  constructor(
    readonly kind: 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Range queries as Netdata's /api/v1/data: stored pages + in-memory pages + the open page, merged per dimension. */
export class QueryService {
  constructor(
    private readonly store: MetricStore,
    private readonly cache: DecodedPageCache = new DecodedPageCache(0),
  ) {}

  async query(req: QueryRequest, nowMs = Date.now()): Promise<QueryResponse> {
    const host = this.store.registry.findHost(req.host, req.guidOnly);
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
    const memory = dims.map((d) => this.memorySnapshot(d, lowest - grid.groupS, w.beforeS));
    const stored: PageRef[][] = dims.map(() => []);
    let firstEntry = 0;
    let lastEntry = 0;
    for (const d of dims) {
      if (d.series.firstS > 0 && (firstEntry === 0 || d.series.firstS < firstEntry)) firstEntry = d.series.firstS;
      if (d.series.lastS > lastEntry) lastEntry = d.series.lastS;
    }
    if (host.persisted && grid.rows > 0) {
      // List first (from the page index when it knows the dimensions), fetch bytes only for pages the decoded-page
      // cache does not hold.
      const index = new Map(dims.map((d, i) => [d.id, i]));
      const listed = await this.listStored(dims, lowest - grid.groupS, w.beforeS);
      const missing: StoredPageRef[] = [];
      for (const ref of listed) {
        const i = index.get(ref.dimension_id);
        if (i === undefined || memory[i].starts.has(ref.start_s)) continue;
        const chunk = this.cache.lookup(ref.dimension_id, ref.start_s, ref.len);
        if (chunk) stored[i].push({ startS: ref.start_s, chunk });
        else missing.push(ref);
      }
      if (missing.length > 0) {
        for (const row of await this.store.readDb((r) => r.readPages(missing))) {
          const i = index.get(row.dimension_id);
          if (i !== undefined) stored[i].push({ startS: row.start_s, data: row.data });
        }
      }
    }
    const cols = dims.length;
    const out = new Float64Array(grid.rows * cols).fill(NaN);
    const method = (raw ? 'none' : group) as GroupMethod;
    for (let i = 0; i < cols; i++) {
      reduceIntoGrid(assemble(dims[i].id, stored[i].concat(memory[i].pages), memory[i].hot, this.cache), grid, method, out, i, cols);
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

  /** Pages of `dims` in PostgreSQL overlapping [fromS, toS]: the index answers, PostgreSQL lists the rest once. */
  private async listStored(dims: DimRec[], fromS: number, toS: number): Promise<StoredPageRef[]> {
    const pageIndex = this.store.pageIndex;
    const listed: StoredPageRef[] = [];
    const unknown: number[] = [];
    for (const d of dims) if (!pageIndex.lookup(d.id, fromS, toS, listed)) unknown.push(d.id);
    if (unknown.length === 0) return listed;
    const gens = unknown.map((id) => pageIndex.generation(id));
    const all = await this.store.readDb((r) => r.listAllPages(unknown));
    const byDim = new Map<number, StoredPageRef[]>(unknown.map((id) => [id, []]));
    for (const ref of all) {
      byDim.get(ref.dimension_id)?.push(ref);
      if (ref.end_s >= fromS && ref.start_s <= toS) listed.push(ref);
    }
    unknown.forEach((id, i) => pageIndex.install(id, gens[i], byDim.get(id) as StoredPageRef[]));
    return listed;
  }

  private memorySnapshot(d: DimRec, fromS: number, toS: number): { pages: PageRef[]; starts: Set<number>; hot: Chunk | undefined } {
    const s = d.series;
    const pages: PageRef[] = [];
    const starts = new Set<number>();
    for (const p of s.sealed) {
      starts.add(p.startS);
      if (p.endS < fromS || p.startS > toS) continue;
      pages.push({ startS: p.startS, data: p.data });
    }
    const hot = s.hot();
    return { pages, starts, hot };
  }
}

interface PageRef {
  startS: number;
  data?: Uint8Array;
  chunk?: Chunk;
}

/**
 * One dimension's points in time order: its pages (decoded or from the cache, never copied), then the open page.
 * Pages normally follow each other; only when they overlap (a writer went back in time) are points merged one by
 * one, the later-written point winning a tie.
 */
function assemble(dimId: number, pages: PageRef[], hot: Chunk | undefined, cache: DecodedPageCache): Chunk[] {
  pages.sort((a, b) => a.startS - b.startS);
  const chunks = pages.map((p) => p.chunk ?? cache.chunk(dimId, p.startS, p.data as Uint8Array));
  if (hot) chunks.push(hot);
  for (let i = 1; i < chunks.length; i++) {
    const prev = chunks[i - 1].times;
    const next = chunks[i].times;
    if (prev.length > 0 && next.length > 0 && next[0] <= prev[prev.length - 1]) return [mergeChunks(chunks)];
  }
  return chunks;
}

function mergeChunks(chunks: Chunk[]): Chunk {
  let total = 0;
  for (const c of chunks) total += c.times.length;
  const times = new Uint32Array(total);
  const values = new Float64Array(total);
  let n = 0;
  for (const c of chunks) {
    times.set(c.times, n);
    values.set(c.values, n);
    n += c.times.length;
  }
  return mergePoints(times, values);
}

function mergePoints(times: Uint32Array, values: Float64Array): Chunk {
  const n = times.length;
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
