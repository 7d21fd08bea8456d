import type { ChartDef, DimensionDef, HostInfo } from '@tributary/protocol';
import type { DataSource, EntityManager } from 'typeorm';
import { decodePage, encodePage } from '../page/page.codec';
import type { ChartRec, HostRec } from '../model/topology';

export interface PageRow {
  dimId: number;
  startS: number;
  endS: number;
  points: number;
  data: Buffer;
}

export interface StoredPageRef {
  dimension_id: number;
  start_s: number;
  end_s: number;
  len: number;
}

export interface StoredHost {
  id: number;
  info: HostInfo;
  online: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  stateSinceMs: number;
  peer: string;
  lastDisconnectReason: string;
}

export interface StoredChart {
  id: number;
  hostId: number;
  def: ChartDef;
  obsolete: boolean;
  dimIds: number[];
}

export interface StoredDimStats {
  dimId: number;
  firstS: number;
  lastS: number;
}

export interface StoredVariable {
  hostId: number;
  chartId: string;
  name: string;
  value: number;
}

/** What one topology flush writes; each record is written as it is when the flush runs. */
export interface TopologyWrite {
  hosts: HostRec[];
  charts: ChartRec[];
  states: HostRec[];
}

/** Rows per multi-row statement (a chart brings its dimensions and labels along). */
const TOPOLOGY_CHUNK = 500;

type Sql = Pick<EntityManager, 'query'>;

async function upsertHosts(m: Sql, hosts: HostRec[]): Promise<void> {
  await m.query(
    `INSERT INTO hosts (id, machine_guid, hostname, info, memory_mode, history_seconds, online, first_seen_ms,
       last_seen_ms, state_since_ms, peer, last_disconnect_reason)
     SELECT u.id, u.guid, u.hostname, u.info::jsonb, u.mode, u.history, u.online, u.first, u.last, u.since, u.peer, u.reason
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::bigint[],
       $9::bigint[], $10::bigint[], $11::text[], $12::text[])
       AS u(id, guid, hostname, info, mode, history, online, first, last, since, peer, reason)
     ON CONFLICT (id) DO UPDATE SET hostname = EXCLUDED.hostname, info = EXCLUDED.info,
       memory_mode = EXCLUDED.memory_mode, history_seconds = EXCLUDED.history_seconds, online = EXCLUDED.online,
       last_seen_ms = EXCLUDED.last_seen_ms, state_since_ms = EXCLUDED.state_since_ms, peer = EXCLUDED.peer,
       last_disconnect_reason = EXCLUDED.last_disconnect_reason`,
    [
      hosts.map((h) => h.id),
      hosts.map((h) => h.guid),
      hosts.map((h) => h.info.hostname),
      hosts.map((h) => {
        const { labels: _labels, ...rest } = h.info;
        return JSON.stringify(rest);
      }),
      hosts.map((h) => h.info.memoryMode),
      hosts.map((h) => h.historyS),
      hosts.map((h) => h.online),
      hosts.map((h) => h.firstSeenMs),
      hosts.map((h) => h.lastSeenMs),
      hosts.map((h) => h.stateSinceMs),
      hosts.map((h) => h.peer),
      hosts.map((h) => h.lastDisconnectReason),
    ],
  );
  await replaceLabels(m, 'host_labels', 'host_id', hosts.map((h) => [h.id, h.info.labels ?? {}]));
}

async function upsertCharts(m: Sql, charts: ChartRec[]): Promise<void> {
  await m.query(
    `INSERT INTO charts (id, host_id, chart_id, name, definition, update_every, obsolete)
     SELECT u.id, u.host_id, u.chart_id, u.name, u.def::jsonb, u.ue, u.obsolete
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[])
       AS u(id, host_id, chart_id, name, def, ue, obsolete)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition,
       update_every = EXCLUDED.update_every, obsolete = EXCLUDED.obsolete`,
    [
      charts.map((c) => c.id),
      charts.map((c) => c.host.id),
      charts.map((c) => c.def.id),
      charts.map((c) => c.def.name),
      charts.map((c) => {
        const { dimensions: _dims, labels: _labels, ...def } = c.def;
        return JSON.stringify(def);
      }),
      charts.map((c) => c.updateEvery),
      charts.map((c) => c.obsolete),
    ],
  );
  const dims = charts.flatMap((c) => c.dims.map((d, position) => ({ chartId: c.id, d, position })));
  await m.query(
    `INSERT INTO dimensions (id, chart_id, dim_id, name, algorithm, multiplier, divisor, options, position)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::int[])
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, algorithm = EXCLUDED.algorithm,
       multiplier = EXCLUDED.multiplier, divisor = EXCLUDED.divisor, options = EXCLUDED.options,
       position = EXCLUDED.position`,
    [
      dims.map((x) => x.d.id),
      dims.map((x) => x.chartId),
      dims.map((x) => x.d.def.id),
      dims.map((x) => x.d.def.name),
      dims.map((x) => x.d.def.algorithm),
      dims.map((x) => String(x.d.def.multiplier)),
      dims.map((x) => String(x.d.def.divisor)),
      dims.map((x) => x.d.def.options),
      dims.map((x) => x.position),
    ],
  );
  await replaceLabels(m, 'chart_labels', 'chart_id', charts.map((c) => [c.id, c.def.labels ?? {}]));
}

/** Labels are replaced as a whole: what a definition no longer has is gone. */
async function replaceLabels(m: Sql, table: 'host_labels' | 'chart_labels', key: 'host_id' | 'chart_id', owners: [number, Record<string, string>][]): Promise<void> {
  await m.query(`DELETE FROM ${table} WHERE ${key} = ANY($1::int[])`, [owners.map(([id]) => id)]);
  const ids: number[] = [];
  const names: string[] = [];
  const values: string[] = [];
  for (const [id, labels] of owners) {
    for (const [name, value] of Object.entries(labels)) {
      ids.push(id);
      names.push(name);
      values.push(value);
    }
  }
  if (ids.length > 0) await m.query(`INSERT INTO ${table} (${key}, name, value) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [ids, names, values]);
}

async function updateHostStates(m: Sql, hosts: HostRec[]): Promise<void> {
  await m.query(
    `UPDATE hosts h SET online = u.online, last_seen_ms = u.last, state_since_ms = u.since, peer = u.peer,
       last_disconnect_reason = u.reason
     FROM unnest($1::int[], $2::bool[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS u(id, online, last, since, peer, reason)
     WHERE h.id = u.id`,
    [
      hosts.map((h) => h.id),
      hosts.map((h) => h.online),
      hosts.map((h) => h.lastSeenMs),
      hosts.map((h) => h.stateSinceMs),
      hosts.map((h) => h.peer),
      hosts.map((h) => h.lastDisconnectReason),
    ],
  );
}

/** Raw SQL over the TypeORM connection: the hot paths stay set-based (unnest arrays), never a row per sample. */
export class StoreRepository {
  constructor(private readonly ds: DataSource) {}

  private q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.ds.query(sql, params) as Promise<T[]>;
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  /**
   * Hosts, charts (with dimensions and labels) and host states in one transaction of multi-row statements: a
   * thousand children connecting is a few statements per flush, not one awaited transaction per chart.
   */
  async writeTopology(t: TopologyWrite): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (let at = 0; at < t.hosts.length; at += TOPOLOGY_CHUNK) await upsertHosts(m, t.hosts.slice(at, at + TOPOLOGY_CHUNK));
      for (let at = 0; at < t.charts.length; at += TOPOLOGY_CHUNK) await upsertCharts(m, t.charts.slice(at, at + TOPOLOGY_CHUNK));
      for (let at = 0; at < t.states.length; at += TOPOLOGY_CHUNK) await updateHostStates(m, t.states.slice(at, at + TOPOLOGY_CHUNK));
    });
  }

  async markAllOffline(nowMs: number): Promise<void> {
    await this.q('UPDATE hosts SET online = false, state_since_ms = $1 WHERE online', [nowMs]);
  }

  async upsertVariable(hostId: number, chartId: string, name: string, value: number): Promise<void> {
    await this.q(
      `INSERT INTO variables (host_id, chart_id, name, value) VALUES ($1,$2,$3,$4)
       ON CONFLICT (host_id, chart_id, name) DO UPDATE SET value = EXCLUDED.value`,
      [hostId, chartId, name, value],
    );
  }

  /** One multi-row INSERT per 1000 pages: page bytes travel as binary parameters, never as hex text. */
  async insertPages(rows: PageRow[]): Promise<void> {
    for (let from = 0; from < rows.length; from += 1000) {
      const chunk = rows.slice(from, from + 1000);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (const r of chunk) {
        const k = params.length;
        tuples.push(`($${k + 1}::int,$${k + 2}::int,$${k + 3}::int,$${k + 4}::int,$${k + 5}::bytea)`);
        params.push(r.dimId, r.startS, r.endS, r.points, r.data);
      }
      await this.q(`INSERT INTO pages (dimension_id, start_s, end_s, points, data) VALUES ${tuples.join(',')}`, params);
    }
  }

  /** Pages of a time range without their bytes (octet_length reads the TOAST pointer, nothing is detoasted). */
  async listPages(dimIds: number[], afterS: number, beforeS: number): Promise<StoredPageRef[]> {
    return this.q(
      `SELECT dimension_id, start_s, end_s, octet_length(data) AS len FROM pages
       WHERE dimension_id = ANY($1::int[]) AND end_s >= $2 AND start_s <= $3`,
      [dimIds, afterS, beforeS],
    );
  }

  /** Every page of these dimensions (StoredPageIndex fills itself from this). */
  async listAllPages(dimIds: number[]): Promise<StoredPageRef[]> {
    return this.q(`SELECT dimension_id, start_s, end_s, octet_length(data) AS len FROM pages WHERE dimension_id = ANY($1::int[])`, [dimIds]);
  }

  async readPages(refs: StoredPageRef[]): Promise<{ dimension_id: number; start_s: number; data: Buffer }[]> {
    return this.q(
      `SELECT p.dimension_id, p.start_s, p.data FROM pages p
       JOIN unnest($1::int[], $2::int[], $3::int[]) AS u(d, e, s) ON p.dimension_id = u.d AND p.end_s = u.e AND p.start_s = u.s`,
      [refs.map((r) => r.dimension_id), refs.map((r) => r.end_s), refs.map((r) => r.start_s)],
    );
  }

  /**
   * Retention of one host: deletes pages wholly at or before `cutoffS` and rewrites the page straddling it, so that
   * exactly the points older than the host's history disappear.
   */
  async applyRetention(hostId: number, cutoffS: number): Promise<number> {
    return this.ds.transaction(async (m) => {
      const deleted = (await m.query(
        `WITH d AS (DELETE FROM pages p USING dimensions d, charts c
           WHERE p.dimension_id = d.id AND d.chart_id = c.id AND c.host_id = $1 AND p.end_s <= $2 RETURNING p.points)
         SELECT coalesce(sum(points), 0)::int AS n FROM d`,
        [hostId, cutoffS],
      )) as { n: number }[];
      let dropped = deleted[0]?.n ?? 0;
      const straddling = (await m.query(
        `SELECT p.id, p.data FROM pages p JOIN dimensions d ON p.dimension_id = d.id JOIN charts c ON d.chart_id = c.id
         WHERE c.host_id = $1 AND p.start_s <= $2 AND p.end_s > $2`,
        [hostId, cutoffS],
      )) as { id: string; data: Buffer }[];
      for (const row of straddling) {
        const page = decodePage(row.data);
        let k = 0;
        while (k < page.times.length && page.times[k] <= cutoffS) k++;
        const n = page.times.length;
        const data = encodePage(page.times, page.values, page.flags, k, n);
        await m.query('UPDATE pages SET start_s = $2, points = $3, data = $4 WHERE id = $1', [row.id, page.times[k], n - k, data]);
        dropped += k;
      }
      return dropped;
    });
  }

  /** Deletes a host and (by cascade) everything of it; returns how many stored points went with it. */
  async deleteHost(hostId: number): Promise<number> {
    return this.ds.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT coalesce(sum(p.points), 0)::bigint AS n FROM pages p JOIN dimensions d ON p.dimension_id = d.id
         JOIN charts c ON d.chart_id = c.id WHERE c.host_id = $1`,
        [hostId],
      )) as { n: string }[];
      await m.query('DELETE FROM hosts WHERE id = $1', [hostId]);
      return Number(rows[0]?.n ?? 0);
    });
  }

  async countPoints(): Promise<number> {
    const rows = await this.q<{ n: string }>('SELECT coalesce(sum(points), 0)::bigint AS n FROM pages');
    return Number(rows[0]?.n ?? 0);
  }

  async loadHosts(): Promise<StoredHost[]> {
    const rows = await this.q<{
      id: number;
      machine_guid: string;
      hostname: string;
      online: boolean;
      info: Omit<HostInfo, 'labels'>;
      first_seen_ms: string;
      last_seen_ms: string;
      state_since_ms: string;
      peer: string;
      last_disconnect_reason: string;
    }>('SELECT * FROM hosts ORDER BY id');
    const labels = await this.q<{ host_id: number; name: string; value: string }>('SELECT * FROM host_labels');
    const byHost = new Map<number, Record<string, string>>();
    for (const l of labels) {
      const m = byHost.get(l.host_id) ?? {};
      m[l.name] = l.value;
      byHost.set(l.host_id, m);
    }
    return rows.map((r) => ({
      id: r.id,
      info: { ...r.info, machineGuid: r.machine_guid, hostname: r.hostname, labels: byHost.get(r.id) ?? {} },
      online: r.online,
      firstSeenMs: Number(r.first_seen_ms),
      lastSeenMs: Number(r.last_seen_ms),
      stateSinceMs: Number(r.state_since_ms),
      peer: r.peer,
      lastDisconnectReason: r.last_disconnect_reason,
    }));
  }

  async loadCharts(): Promise<StoredChart[]> {
    const charts = await this.q<{ id: number; host_id: number; definition: Omit<ChartDef, 'dimensions' | 'labels'>; obsolete: boolean }>(
      'SELECT id, host_id, definition, obsolete FROM charts ORDER BY id',
    );
    const dims = await this.q<{
      id: number;
      chart_id: number;
      dim_id: string;
      name: string;
      algorithm: string;
      multiplier: string;
      divisor: string;
      options: string;
    }>('SELECT * FROM dimensions ORDER BY chart_id, position');
    const labels = await this.q<{ chart_id: number; name: string; value: string }>('SELECT * FROM chart_labels');
    const dimsByChart = new Map<number, { defs: DimensionDef[]; ids: number[] }>();
    for (const d of dims) {
      const e = dimsByChart.get(d.chart_id) ?? { defs: [], ids: [] };
      e.defs.push({
        id: d.dim_id,
        name: d.name,
        algorithm: d.algorithm,
        multiplier: Number(d.multiplier),
        divisor: Number(d.divisor),
        options: d.options,
      });
      e.ids.push(d.id);
      dimsByChart.set(d.chart_id, e);
    }
    const labelsByChart = new Map<number, Record<string, string>>();
    for (const l of labels) {
      const m = labelsByChart.get(l.chart_id) ?? {};
      m[l.name] = l.value;
      labelsByChart.set(l.chart_id, m);
    }
    return charts.map((c) => {
      const d = dimsByChart.get(c.id) ?? { defs: [], ids: [] };
      return {
        id: c.id,
        hostId: c.host_id,
        obsolete: c.obsolete,
        def: { ...c.definition, dimensions: d.defs, labels: labelsByChart.get(c.id) ?? {} },
        dimIds: d.ids,
      };
    });
  }

  async loadDimStats(): Promise<StoredDimStats[]> {
    const rows = await this.q<{ dimension_id: number; first_s: number; last_s: number }>(
      'SELECT dimension_id, min(start_s) AS first_s, max(end_s) AS last_s FROM pages GROUP BY dimension_id',
    );
    return rows.map((r) => ({ dimId: r.dimension_id, firstS: r.first_s, lastS: r.last_s }));
  }

  async loadVariables(): Promise<StoredVariable[]> {
    const rows = await this.q<{ host_id: number; chart_id: string; name: string; value: number }>('SELECT * FROM variables');
    return rows.map((r) => ({ hostId: r.host_id, chartId: r.chart_id, name: r.name, value: r.value }));
  }

  /** Size of the pages table with its TOAST and indexes (file sizes: no scan). */
  async diskBytes(): Promise<number> {
    const rows = await this.q<{ bytes: string }>(`SELECT pg_total_relation_size('pages') AS bytes`);
    return Number(rows[0]?.bytes ?? 0);
  }
}
