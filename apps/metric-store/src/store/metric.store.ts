import { Logger } from '@nestjs/common';
import type { ChartDef, DimensionDef, HostInfo, HostState, SampleColumns, Variable, WriteAck, WriteBatch } from '@tributary/protocol';
import type { StoreConfig } from '../config/store.config';
import { StoreRepository } from '../db/store.repository';
import { WriteJournal } from '../journal/write.journal';
import type { SealedPage } from '../model/series';
import type { ChartRec, DimRec, HostRec } from '../model/topology';
import { TopologyRegistry } from '../model/topology.registry';
import { u32View } from '../util/typed.views';
import { errorText, isTransientDbError } from './db-errors';
import { StoredPageIndex } from './stored-page.index';
import { SubscriptionHub } from './subscription.hub';
import { WriteCallState } from './write-call.state';
import { AppliedBatches } from './applied-batches';

interface PendingPage {
  dim: DimRec;
  page: SealedPage;
}

interface DbOp {
  what: string;
  /** Journal segment current when queued: kept until the change is in PostgreSQL. */
  segment?: number;
  /** Retention ops are coalesced per host: one queued at a time. */
  key?: string;
  /** A host, chart or host state to write: consecutive ones are written together (TopologyWrite). */
  topology?: TopologyItem;
  run(repo: StoreRepository): Promise<void>;
}

type TopologyItem = { kind: 'host' | 'state'; host: HostRec } | { kind: 'chart'; chart: ChartRec };

/** Topology changes written in one transaction at most (a reconnect preamble of 200k charts is a few hundred). */
const MAX_TOPOLOGY_RUN = 2000;

const EMPTY = new Uint8Array(0);
const WRITER_GONE = 'writer disconnected';
/** How long GetStatus waits for PostgreSQL's answer about disk usage before answering with the last one. */
const STATUS_DB_WAIT_MS = 300;
const RESTARTED = 'metric-store restarted';
const AUTO_OFFLINE = new Set([WRITER_GONE, RESTARTED]);

interface TopologyChange {
  host?: { id: number; info: HostInfo };
  chart?: { id: number; hostId: number; def: ChartDef; dims: [number, DimensionDef][] };
}
const MAX_FLUSH_ROWS = 2000;
const MAX_FLUSH_BYTES = 16 * 1024 * 1024;

export class DatabaseUnavailableError extends Error {}

/**
 * The store's core. Writes are synchronous (hot pages + journal) and acknowledged at once; one background worker
 * applies topology changes and flushes sealed pages to PostgreSQL, in order, retrying while the database is away.
 */
export class MetricStore {
  private readonly log = new Logger('MetricStore');
  readonly registry: TopologyRegistry;
  readonly hub: SubscriptionHub;
  readonly pageIndex: StoredPageIndex;
  private readonly applied = new AppliedBatches();
  private diskBytesKnown = 0;
  private diskBytesAsking: Promise<void> | undefined;
  /** batches a writer sent again that had been applied already (acknowledged, not applied twice) */
  duplicateBatches = 0;
  private readonly ops: DbOp[] = [];
  private readonly queuedKeys = new Set<string>();
  private readonly retentionCutoff = new Map<number, number>();
  private pending: PendingPage[] = [];
  private pendingBytes = 0;
  private dbUp = false;
  private dbError = 'not connected yet';
  private wake: (() => void) | undefined;
  private workerDone: Promise<void> = Promise.resolve();
  private stopping = false;
  /** At shutdown a failing database ends the worker: unflushed pages stay in the journal. */
  private abandonOnFailure = false;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private batchSeq = 0;
  started = false;
  samplesWritten = 0;
  pagesFlushed = 0;
  /** host, chart and state changes queued for PostgreSQL */
  get topologyPending(): number {
    let n = 0;
    for (const op of this.ops) if (op.topology) n++;
    return n;
  }

  /** topology transactions written */
  topologyWrites = 0;
  private storedPoints = 0;

  constructor(
    private readonly config: StoreConfig,
    private readonly repo: StoreRepository,
    private readonly journal: WriteJournal,
  ) {
    this.registry = new TopologyRegistry({
      historyS: config.defaultHistorySecs,
      memoryMode: config.defaultMemoryMode,
      pagePoints: config.pagePoints,
    });
    this.pageIndex = new StoredPageIndex(config.pageIndexMaxPages);
    this.hub = new SubscriptionHub(config.subscriberMaxQueuedBytes, config.subscriberStallMs);
  }

  get databaseUp(): boolean {
    return this.dbUp;
  }
  get databaseError(): string {
    return this.dbUp ? '' : this.dbError;
  }
  get heldBytes(): number {
    return this.pendingBytes;
  }

  // ---------------------------------------------------------------- boot

  /** Loads topology from PostgreSQL, replays the journal, flushes what it replayed, then opens for writes. */
  async start(): Promise<void> {
    const nowMs = Date.now();
    const stored = await this.repo.loadHosts();
    await this.repo.markAllOffline(nowMs);
    for (const h of stored) {
      const { host } = this.registry.upsertHost(h.info, h.lastSeenMs, h.id);
      host.firstSeenMs = h.firstSeenMs;
      host.lastSeenMs = h.lastSeenMs;
      host.stateSinceMs = h.stateSinceMs;
      host.peer = h.peer;
      host.lastDisconnectReason = h.lastDisconnectReason;
      host.online = false;
      if (h.online) {
        // Connected when this store went down: the first live samples bring it back online.
        host.lastDisconnectReason = RESTARTED;
        host.stateSinceMs = nowMs;
      }
    }
    const byId = new Map<number, HostRec>();
    for (const h of this.registry.hosts.values()) byId.set(h.id, h);
    for (const c of await this.repo.loadCharts()) {
      const host = byId.get(c.hostId);
      if (!host) continue;
      const { chart } = this.registry.upsertChart(host, c.def, { chart: c.id, dims: c.dimIds });
      chart.obsolete = c.obsolete;
    }
    for (const v of await this.repo.loadVariables()) {
      const host = byId.get(v.hostId);
      if (host) host.variables.set(`${v.chartId}\0${v.name}`, { machineGuid: host.guid, chartId: v.chartId, name: v.name, value: v.value });
    }
    for (const s of await this.repo.loadDimStats()) {
      const dim = this.registry.dims.get(s.dimId);
      if (!dim) continue;
      dim.series.flushedEndS = s.lastS;
      dim.series.firstS = s.firstS;
      dim.series.lastS = s.lastS;
    }
    this.storedPoints = await this.repo.countPoints();
    this.dbUp = true;
    this.log.log(
      `loaded ${this.registry.hosts.size} hosts, ${this.registry.charts.size} charts, ${this.registry.dims.size} dimensions (all offline)`,
    );
    await this.replayJournal();
    this.journal.open();
    this.workerDone = this.worker();
    this.maintenanceTimer = setInterval(() => this.maintenance(), this.config.maintenanceIntervalMs);
    this.started = true;
  }

  private async replayJournal(): Promise<void> {
    const segments = this.journal.segments();
    if (segments.length === 0) return;
    const nowMs = Date.now();
    let replayed = 0;
    let skipped = 0;
    let unknown = 0;
    for (const rec of this.journal.replay(segments)) {
      if (rec.kind === 'topology') {
        this.replayTopology(rec.json, nowMs);
        continue;
      }
      for (let i = 0; i < rec.dimIds.length; i++) {
        const dim = this.registry.dims.get(rec.dimIds[i]);
        if (!dim) {
          unknown++;
          continue;
        }
        const t = rec.times[i];
        if (t <= dim.series.flushedEndS) {
          skipped++;
          continue;
        }
        const sealed = dim.series.append(t, rec.values[i], rec.flags[i], 0, nowMs);
        if (sealed) this.enqueuePage(dim, sealed);
        replayed++;
      }
    }
    for (const dim of this.registry.dims.values()) {
      const sealed = dim.series.seal();
      if (sealed) this.enqueuePage(dim, sealed);
    }
    this.log.log(
      `journal replay: ${segments.length} segments, ${replayed} points restored, ${skipped} already stored, ${unknown} of unknown dimensions`,
    );
    // Flush before deleting the replayed segments, so a crash now replays them again instead of losing them.
    this.workerDone = this.worker();
    await this.drain(0);
    this.stopping = true;
    this.kick();
    await this.workerDone;
    this.stopping = false;
    if (this.pending.length > 0) throw new Error('journal replay: pages could not be flushed');
    this.journal.deleteBefore(Number.MAX_SAFE_INTEGER);
  }

  // ---------------------------------------------------------------- writes

  /**
   * One batch of a Write call. A batch this writer already had applied (sent again after a reconnect) is acknowledged
   * as a duplicate; after a refusal the rest of the call is refused, so the writer's resend keeps its order.
   */
  write(call: WriteCallState, b: WriteBatch): WriteAck {
    if (call.refusedBatch) {
      return refused(b, `batch ${call.refusedBatch} of this call was refused; send again on a new call`, true);
    }
    if (this.applied.has(call.writer, b.batchId)) {
      this.duplicateBatches++;
      return { batchId: b.batchId, rows: 0, error: '', retryable: false, duplicate: true };
    }
    let ack: WriteAck;
    try {
      ack = this.applyBatch(call, b);
    } catch (e) {
      ack = refused(b, `internal error: ${errorText(e)}`, false);
    }
    if (ack.error) call.refusedBatch = b.batchId;
    else this.applied.add(call.writer, b.batchId, b.settledBelow);
    return ack;
  }

  applyBatch(call: WriteCallState, b: WriteBatch): WriteAck {
    const nowMs = Date.now();
    if (this.pendingBytes > this.config.heldMaxBytes) {
      const why = `store full: ${Math.round(this.pendingBytes / 1048576)} MB of pages held for PostgreSQL (${this.dbError || 'slow'}); retry later`;
      return refused(b, why, true);
    }
    for (const info of b.hosts) {
      if (!info.machineGuid) return refused(b, 'host without machine_guid', false);
      const { host, changed } = this.registry.upsertHost(info, nowMs);
      if (changed) {
        this.journalTopology({ host: { id: host.id, info: host.info } });
        this.queueTopology({ kind: 'host', host });
        this.hub.host(host);
      }
    }
    for (const st of b.states) {
      const host = this.registry.hosts.get(st.machineGuid);
      if (!host) return refused(b, `state for unknown host ${st.machineGuid}`, false);
      this.applyState(host, st, call);
    }
    for (const cu of b.charts) {
      const host = this.registry.hosts.get(cu.machineGuid);
      if (!host || !cu.chart) return refused(b, `chart ${cu.chart?.id ?? '?'} for unknown host ${cu.machineGuid}`, false);
      const { chart, changed } = this.registry.upsertChart(host, cu.chart);
      call.charts(host.guid)[cu.chartIndex] = chart;
      if (changed) {
        this.journalTopology({ chart: { id: chart.id, hostId: host.id, def: chart.def, dims: chart.dims.map((d) => [d.id, d.def]) } });
        this.queueTopology({ kind: 'chart', chart });
        this.hub.chart(chart);
      }
    }
    for (const v of b.variables) {
      const host = this.registry.hosts.get(v.machineGuid);
      if (!host) return refused(b, `variable for unknown host ${v.machineGuid}`, false);
      this.applyVariable(host, v);
    }
    for (const del of b.deletedCharts) {
      const slash = del.indexOf('/');
      const host = this.registry.hosts.get(del.slice(0, slash));
      const chart = host?.charts.get(del.slice(slash + 1));
      if (!chart || chart.obsolete) continue;
      chart.obsolete = true;
      this.queueTopology({ kind: 'chart', chart });
    }
    for (const sc of b.samples) {
      const err = this.validate(call, sc);
      if (err) return refused(b, err, false);
    }
    let rows = 0;
    for (const sc of b.samples) rows += this.applySamples(call, sc, nowMs);
    this.samplesWritten += rows;
    return { batchId: b.batchId, rows, error: '', retryable: false, duplicate: false };
  }

  /** Topology goes to the journal too: a crash while PostgreSQL is away must not orphan journaled samples. */
  private journalTopology(change: TopologyChange): void {
    if (this.journal.current > 0) this.journal.appendTopology(JSON.stringify(change));
  }

  private replayTopology(json: string, nowMs: number): void {
    const change = JSON.parse(json) as TopologyChange;
    if (change.host) {
      const { host, changed } = this.registry.upsertHost(change.host.info, nowMs, change.host.id);
      if (changed) this.queueTopology({ kind: 'host', host });
    }
    if (change.chart) {
      const c = change.chart;
      const host = [...this.registry.hosts.values()].find((h) => h.id === c.hostId);
      if (!host) return;
      const declared = c.dims.slice(0, c.def.dimensions.length).map(([id]) => id);
      const { chart, changed } = this.registry.upsertChart(host, c.def, { chart: c.id, dims: declared });
      for (const [id, def] of c.dims.slice(c.def.dimensions.length)) this.registry.restoreExtraDim(chart, id, def);
      if (changed) this.queueTopology({ kind: 'chart', chart });
    }
  }

  private applyState(host: HostRec, st: HostState, call: WriteCallState): void {
    host.online = st.connected;
    host.stateSinceMs = st.atMs || Date.now();
    host.lastSeenMs = Math.max(host.lastSeenMs, host.stateSinceMs);
    if (st.peer) host.peer = st.peer;
    if (st.connected) call.onlineHosts.add(host);
    else {
      host.lastDisconnectReason = st.reason;
      call.onlineHosts.delete(host);
    }
    this.queueTopology({ kind: 'state', host });
    this.hub.state(host, st);
  }

  private applyVariable(host: HostRec, v: Variable): void {
    const key = `${v.chartId}\0${v.name}`;
    const prev = host.variables.get(key);
    if (prev && Object.is(prev.value, v.value)) return;
    host.variables.set(key, v);
    this.enqueueOp({ what: `variable ${host.guid} ${v.name}`, run: (r) => r.upsertVariable(host.id, v.chartId, v.name, v.value) });
    this.hub.variable(host.guid, v);
  }

  /** Marks the hosts a finished Write call had brought online as offline: their stream-ingest is gone. */
  endCall(call: WriteCallState): void {
    for (const host of call.onlineHosts) {
      if (!host.online) continue;
      this.applyState(
        host,
        { machineGuid: host.guid, connected: false, atMs: Date.now(), reason: WRITER_GONE, graceful: false, peer: host.peer, ingestId: '' },
        new WriteCallState(''),
      );
    }
    call.onlineHosts.clear();
  }

  private validate(call: WriteCallState, sc: SampleColumns): string | undefined {
    const host = this.registry.hosts.get(sc.machineGuid);
    if (!host) return `samples for unknown host ${sc.machineGuid}`;
    const n = sc.rows;
    if (
      sc.chartIndex.length !== n * 4 ||
      sc.dimensionIndex.length !== n * 4 ||
      sc.timeS.length !== n * 4 ||
      sc.value.length !== n * 8 ||
      (sc.flags.length !== 0 && sc.flags.length !== n)
    ) {
      return `samples of ${sc.machineGuid}: column sizes do not match rows=${n}`;
    }
    const ci = u32View(sc.chartIndex, n);
    const di = u32View(sc.dimensionIndex, n);
    const charts = call.charts(host.guid);
    for (let i = 0; i < n; i++) {
      const c = charts[ci[i]];
      if (c === undefined || c.host !== host) return `samples of ${sc.machineGuid}: row ${i} uses undeclared chart index ${ci[i]}`;
      if (di[i] >= c.def.dimensions.length) return `samples of ${sc.machineGuid}: row ${i} uses dimension ${di[i]} of ${c.def.id}`;
    }
    return undefined;
  }

  private applySamples(call: WriteCallState, sc: SampleColumns, nowMs: number): number {
    const host = this.registry.hosts.get(sc.machineGuid) as HostRec;
    const n = sc.rows;
    if (n === 0) return 0;
    host.lastSeenMs = nowMs;
    // Offline only because a writer call or this store went away: live samples mean the child is still connected
    // (a reconnecting writer re-declares hosts and charts but not their states).
    if (!host.online && AUTO_OFFLINE.has(host.lastDisconnectReason)) {
      this.applyState(
        host,
        { machineGuid: host.guid, connected: true, atMs: nowMs, reason: '', graceful: true, peer: host.peer, ingestId: '' },
        call,
      );
    }
    const ci = u32View(sc.chartIndex, n);
    const di = u32View(sc.dimensionIndex, n);
    const times = u32View(sc.timeS, n);
    const values = new Float64Array(n);
    new Uint8Array(values.buffer).set(sc.value);
    const flags = sc.flags.length === n ? sc.flags : EMPTY;
    const charts = call.charts(host.guid);
    const subscribed = this.hub.size > 0 && this.hub.interested(host.guid);
    const seq = ++this.batchSeq;
    const used: ChartRec[] = [];
    const globalCi = subscribed ? new Uint32Array(n) : undefined;
    if (host.stores || subscribed) {
      const journaled = host.persisted ? new Uint32Array(n) : undefined;
      const segment = this.journal.current;
      for (let i = 0; i < n; i++) {
        const c = charts[ci[i]] as ChartRec;
        if (globalCi) {
          globalCi[i] = c.id;
          if (c.seenInBatch !== seq) {
            c.seenInBatch = seq;
            used.push(c);
          }
        }
        if (!host.stores) continue;
        const dim = c.dims[di[i]];
        const sealed = dim.series.append(times[i], values[i], flags === EMPTY ? 0 : flags[i], segment, nowMs);
        if (sealed !== undefined && host.persisted) this.enqueuePage(dim, sealed);
        if (journaled) journaled[i] = dim.id;
      }
      if (journaled) this.journal.append(journaled, sc.timeS, sc.value, sc.flags, n);
    }
    if (globalCi) {
      this.hub.samples(
        host.guid,
        { ...sc, chartIndex: Buffer.from(globalCi.buffer, 0, n * 4) },
        used,
      );
    }
    return n;
  }

  private enqueuePage(dim: DimRec, page: SealedPage): void {
    this.pending.push({ dim, page });
    this.pendingBytes += page.data.length;
    if (this.pending.length === 1 || this.pendingBytes > 4 * 1024 * 1024) this.kick();
  }

  /** Alone, the change is a TopologyWrite of one record; queued next to others, it joins their transaction. */
  private queueTopology(t: TopologyItem): void {
    const what = t.kind === 'chart' ? `chart ${t.chart.host.guid}/${t.chart.def.id}` : `${t.kind} ${t.host.guid}`;
    const write = {
      hosts: t.kind === 'host' ? [t.host] : [],
      charts: t.kind === 'chart' ? [t.chart] : [],
      states: t.kind === 'state' ? [t.host] : [],
    };
    this.enqueueOp({ what, topology: t, run: (r) => r.writeTopology(write) });
  }

  private enqueueOp(op: DbOp): void {
    if (op.key) {
      if (this.queuedKeys.has(op.key)) return;
      this.queuedKeys.add(op.key);
    }
    op.segment = this.journal.current;
    this.ops.push(op);
    this.kick();
  }

  private kick(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  // ---------------------------------------------------------------- database worker

  private async worker(): Promise<void> {
    for (;;) {
      if (this.stopping && this.ops.length === 0 && this.pending.length === 0) return;
      try {
        if (!this.dbUp) {
          await this.repo.ping();
          this.dbUp = true;
          this.log.log(`database is back: ${this.ops.length} changes and ${this.pending.length} pages to write`);
        }
        if (this.ops.length > 0 && this.ops[0].topology) {
          await this.writeTopologyRun();
          continue;
        }
        if (this.ops.length > 0) {
          const op = this.ops[0];
          try {
            await op.run(this.repo);
          } catch (e) {
            if (isTransientDbError(e)) throw e;
            this.log.error(`database rejected ${op.what}: ${errorText(e)} (dropped)`);
          }
          this.ops.shift();
          if (op.key) this.queuedKeys.delete(op.key);
          continue;
        }
        if (this.pending.length > 0) {
          await this.flushSome();
          continue;
        }
        if (this.stopping) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 1000).unref();
        });
      } catch (e) {
        if (this.dbUp || this.dbError !== errorText(e)) {
          this.log.error(`database unavailable: ${errorText(e)}; holding ${this.ops.length} changes and ${this.pending.length} pages`);
        }
        this.dbUp = false;
        this.dbError = errorText(e);
        if (this.stopping && this.abandonOnFailure) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * The queued topology changes at the head of the queue, up to the next other change (retention, host removal, a
   * variable), in one transaction: hosts, then charts, then states, each record as it is now (a record queued twice is
   * written once). If PostgreSQL rejects the whole, each change is tried alone so that only the bad one is dropped.
   */
  private async writeTopologyRun(): Promise<void> {
    let n = 0;
    while (n < this.ops.length && n < MAX_TOPOLOGY_RUN && this.ops[n].topology) n++;
    const run = this.ops.slice(0, n);
    const hosts = new Set<HostRec>();
    const charts = new Set<ChartRec>();
    const states = new Set<HostRec>();
    for (const op of run) {
      const t = op.topology;
      if (t?.kind === 'host') hosts.add(t.host);
      else if (t?.kind === 'state') states.add(t.host);
      else if (t?.kind === 'chart') charts.add(t.chart);
    }
    try {
      await this.repo.writeTopology({ hosts: [...hosts], charts: [...charts], states: [...states] });
    } catch (e) {
      if (isTransientDbError(e)) throw e;
      if (n === 1) this.log.error(`database rejected ${run[0].what}: ${errorText(e)} (dropped)`);
      else {
        for (const op of run) {
          try {
            await op.run(this.repo);
          } catch (e1) {
            if (isTransientDbError(e1)) throw e1;
            this.log.error(`database rejected ${op.what}: ${errorText(e1)} (dropped)`);
          }
        }
      }
    }
    this.ops.splice(0, n);
    this.topologyWrites++;
  }

  private async flushSome(): Promise<void> {
    let n = 0;
    let bytes = 0;
    while (n < this.pending.length && n < MAX_FLUSH_ROWS && bytes < MAX_FLUSH_BYTES) bytes += this.pending[n++].page.data.length;
    const batch = this.pending.slice(0, n);
    try {
      await this.repo.insertPages(
        batch.map((p) => ({ dimId: p.dim.id, startS: p.page.startS, endS: p.page.endS, points: p.page.points, data: p.page.data })),
      );
      for (const p of batch) {
        this.storedPoints += p.page.points;
        this.pageIndex.added(p.dim.id, p.page.startS, p.page.endS, p.page.data.length);
      }
    } catch (e) {
      if (isTransientDbError(e)) throw e;
      this.log.error(`database rejected ${n} pages: ${errorText(e)} (dropped)`);
    }
    // `pending` may have been filtered (orphan cleanup) meanwhile: remove exactly what was written.
    const written = new Set(batch);
    this.pending = this.pending.filter((p) => !written.has(p));
    for (const p of batch) {
      const s = p.dim.series;
      const i = s.sealed.indexOf(p.page);
      if (i >= 0) s.sealed.splice(i, 1);
      if (p.page.endS > s.flushedEndS) s.flushedEndS = p.page.endS;
      this.pendingBytes -= p.page.data.length;
    }
    this.pagesFlushed += n;
  }

  /** Waits until every queued change and page is in PostgreSQL, or `timeoutMs` passes (0: no limit). */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.MAX_SAFE_INTEGER;
    while ((this.ops.length > 0 || this.pending.length > 0) && Date.now() < deadline) {
      this.kick();
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.ops.length === 0 && this.pending.length === 0;
  }

  /** Seals every open page (persisted hosts) so that a flush writes everything acknowledged. */
  sealAll(): void {
    for (const host of this.registry.hosts.values()) {
      if (!host.persisted) continue;
      for (const c of host.charts.values()) {
        for (const d of c.dims) {
          const p = d.series.seal();
          if (p) this.enqueuePage(d, p);
        }
      }
    }
  }

  /** Graceful stop: seal and flush every hot page, then drop the journal if all of it is in PostgreSQL. */
  async stop(flushTimeoutMs: number): Promise<boolean> {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    this.hub.closeAll();
    if (!this.started) return true;
    this.sealAll();
    const flushed = await this.drain(flushTimeoutMs);
    this.stopping = true;
    this.abandonOnFailure = true;
    this.kick();
    await this.workerDone;
    this.journal.close();
    if (flushed) this.journal.deleteBefore(Number.MAX_SAFE_INTEGER);
    else this.log.error(`shutdown: ${this.pending.length} pages not flushed; they stay in the journal for the next start`);
    this.started = false;
    return flushed;
  }

  // ---------------------------------------------------------------- maintenance

  /** Age flush, retention, orphan cleanup, journal rotation. Runs every maintenance interval. */
  maintenance(nowMs = Date.now()): void {
    const nowS = Math.floor(nowMs / 1000);
    const maxAgeMs = this.config.pageMaxAgeS * 1000;
    let minSegment = this.journal.current;
    for (const p of this.pending) if (p.page.segment < minSegment) minSegment = p.page.segment;
    for (const op of this.ops) if (op.segment !== undefined && op.segment < minSegment) minSegment = op.segment;
    for (const host of [...this.registry.hosts.values()]) {
      if (!host.online && this.config.orphanCleanupSecs > 0 && nowMs - host.lastSeenMs > this.config.orphanCleanupSecs * 1000) {
        this.removeOrphan(host, nowMs);
        continue;
      }
      const cutoff = nowS - host.historyS;
      for (const c of host.charts.values()) {
        for (const d of c.dims) {
          const s = d.series;
          s.trimHot(cutoff);
          if (!host.persisted) {
            while (s.sealed.length > 0 && s.sealed[0].endS <= cutoff) s.sealed.shift();
          }
          if (s.firstS !== 0 && s.firstS <= cutoff) s.firstS = cutoff + 1;
          if (s.count > 0 && nowMs - s.openedAtMs >= maxAgeMs && host.persisted) {
            const p = s.seal();
            if (p) this.enqueuePage(d, p);
          }
          if (s.count > 0 && host.persisted && s.segment < minSegment) minSegment = s.segment;
        }
      }
      if (host.persisted) {
        const hostId = host.id;
        // A queued retention op takes the newest cutoff when it runs.
        this.retentionCutoff.set(hostId, cutoff);
        this.enqueueOp({
          what: `retention of ${host.guid}`,
          key: `retention:${hostId}`,
          run: async (r) => {
            const c = this.retentionCutoff.get(hostId);
            if (c === undefined) return;
            const dropped = await r.applyRetention(hostId, c);
            this.storedPoints -= dropped;
            // nothing dropped: no page was deleted or rewritten
            if (dropped > 0) for (const ch of host.charts.values()) for (const d of ch.dims) this.pageIndex.trimmed(d.id, c);
          },
        });
      }
    }
    this.journal.maybeRotate(nowMs);
    this.journal.sync();
    this.journal.deleteBefore(minSegment);
  }

  private removeOrphan(host: HostRec, nowMs: number): void {
    this.log.log(`removing orphan host ${host.info.hostname} (${host.guid}): unseen for ${Math.round((nowMs - host.lastSeenMs) / 1000)} s`);
    const dimIds: number[] = [];
    for (const ch of host.charts.values()) for (const d of ch.dims) dimIds.push(d.id);
    this.registry.removeHost(host);
    this.hub.removedHost(host);
    this.retentionCutoff.delete(host.id);
    const before = this.pending.length;
    this.pending = this.pending.filter((p) => {
      if (p.dim.chart.host !== host) return true;
      this.pendingBytes -= p.page.data.length;
      return false;
    });
    if (before !== this.pending.length) this.log.log(`dropped ${before - this.pending.length} unflushed pages of ${host.guid}`);
    const id = host.id;
    this.enqueueOp({
      what: `delete host ${host.guid}`,
      run: async (r) => {
        this.storedPoints -= await r.deleteHost(id);
        for (const d of dimIds) this.pageIndex.dropped(d);
      },
    });
  }

  // ---------------------------------------------------------------- reads

  /** Runs a read on PostgreSQL; throws DatabaseUnavailableError when it cannot answer. */
  async readDb<T>(fn: (repo: StoreRepository) => Promise<T>): Promise<T> {
    if (!this.dbUp) throw new DatabaseUnavailableError(`database unavailable: ${this.dbError}`);
    try {
      return await fn(this.repo);
    } catch (e) {
      if (isTransientDbError(e)) {
        this.dbUp = false;
        this.dbError = errorText(e);
        this.kick();
        throw new DatabaseUnavailableError(`database unavailable: ${errorText(e)}`);
      }
      throw e;
    }
  }

  /** Points in PostgreSQL come from a counter (loaded at boot, kept by flushes, retention and deletions). */
  /**
   * Bytes on disk (asked of PostgreSQL) and points stored. A busy database must not make the status slow: past
   * STATUS_DB_WAIT_MS the last known size is answered, and the pending question updates it for the next call.
   */
  async diskStats(): Promise<{ bytes: number; points: number }> {
    if (!this.dbUp) return { bytes: this.diskBytesKnown, points: this.storedPoints };
    if (!this.diskBytesAsking) {
      this.diskBytesAsking = this.repo
        .diskBytes()
        .then((b) => {
          this.diskBytesKnown = b;
        })
        .catch(() => undefined)
        .finally(() => {
          this.diskBytesAsking = undefined;
        });
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.diskBytesAsking, new Promise((r) => (timer = setTimeout(r, STATUS_DB_WAIT_MS)))]);
    clearTimeout(timer);
    return { bytes: this.diskBytesKnown, points: this.storedPoints };
  }

  hotStats(): { pages: number; samples: number } {
    let pages = 0;
    let samples = 0;
    for (const d of this.registry.dims.values()) {
      if (d.series.count > 0) {
        pages++;
        samples += d.series.count;
      }
      pages += d.series.sealed.length;
    }
    return { pages, samples };
  }
}

function refused(b: WriteBatch, error: string, retryable: boolean): WriteAck {
  return { batchId: b.batchId, rows: 0, error, retryable, duplicate: false };
}
