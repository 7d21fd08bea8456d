import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import type { HostState, SampleColumns, SubscribeEvent, SubscribeRequest, Variable } from '@tributary/protocol';
import type { ChartRec, HostRec } from '../model/topology';

/** The dump writes on while fewer messages than this wait in the call's buffer, then waits for it to drain. */
const DUMP_LOW_WATER = 256;
/** Room an event takes in a subscriber's queue: its columns for samples, a fixed estimate for the rest. */
const EVENT_BYTES = 256;
const ROW_BYTES = 29;

interface Subscriber {
  call: ServerWritableStream<SubscribeRequest, SubscribeEvent>;
  guids: Set<string> | null;
  withTopology: boolean;
  /** Chart ids (store-wide, used as the subscription's chart_index) already announced with their definition. */
  announced: Set<number>;
  closed: boolean;
  /** estimated bytes of events written and not yet flushed to the transport */
  queuedBytes: number;
  /** while the topology dump runs: the hosts still to dump (a host's live events before its turn dump it first) */
  toDump: Map<string, HostRec> | null;
}

/**
 * Fans out writes to Subscribe calls. Chart indexes on a subscription are the store-wide chart ids, announced by a
 * ChartUpsert before the first samples that use them, so one translated SampleColumns serves every subscriber.
 */
export class SubscriptionHub {
  private readonly log = new Logger('Subscribe');
  private readonly subs = new Set<Subscriber>();

  /** Writers wait (their Write calls paused) while a subscriber has more than this queued, until it is below half. */
  readonly highBytes: number;
  private waiters: (() => void)[] = [];
  private drainTimer: NodeJS.Timeout | undefined;
  /** the fullest queue at the last check, and since when it has not shrunk */
  private lastBacklog = 0;
  private stuckSinceMs = 0;
  /** times writers were paused for a subscriber, and subscribers cut off for draining nothing */
  writerPauses = 0;
  stalledCutOffs = 0;

  /**
   * @param maxQueuedBytes live events queued on one subscriber before it is cut off: a slow reader must not grow the
   * store's memory. The topology dump of a new subscription does not count: it is written at the subscriber's pace.
   * @param stallMs writers wait for a subscriber past `highBytes`; one whose queue does not shrink for this long is
   * cut off, so a reader that stopped cannot stop every writer.
   */
  constructor(
    private readonly maxQueuedBytes: number,
    private readonly stallMs = 10_000,
  ) {
    this.highBytes = Math.max(64 * 1024, Math.floor(maxQueuedBytes / 4));
  }

  /** Live bytes queued on the fullest subscriber. */
  get backlogBytes(): number {
    let m = 0;
    for (const s of this.subs) if (s.queuedBytes > m) m = s.queuedBytes;
    return m;
  }

  /**
   * Resolves once every subscriber is below half of `highBytes`. Subscribers lag behind writers by at most about
   * `highBytes` this way, instead of being cut off when a burst (a reconnecting writer's held batches) outruns them:
   * the writers slow down and TCP pushes back on the children. A subscriber whose queue does not shrink for
   * `stallMs` is cut off instead.
   */
  whenDrained(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.drainTimer) return;
      this.writerPauses++;
      this.lastBacklog = this.backlogBytes;
      this.stuckSinceMs = Date.now();
      this.drainTimer = setInterval(() => this.checkDrained(), 20);
    });
  }

  private checkDrained(): void {
    const now = Date.now();
    const backlog = this.backlogBytes;
    if (backlog < this.lastBacklog) this.stuckSinceMs = now;
    this.lastBacklog = backlog;
    if (backlog >= this.highBytes / 2 && now - this.stuckSinceMs >= this.stallMs) {
      for (const s of this.subs) {
        if (s.queuedBytes < this.highBytes / 2) continue;
        this.stalledCutOffs++;
        this.cutOff(s, `drained nothing for ${Math.round((now - this.stuckSinceMs) / 1000)} s`);
      }
    }
    if (this.backlogBytes >= this.highBytes / 2) return;
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }

  get size(): number {
    return this.subs.size;
  }

  add(call: ServerWritableStream<SubscribeRequest, SubscribeEvent>, hosts: Iterable<HostRec>): void {
    const req = call.request;
    const sub: Subscriber = {
      call,
      guids: req.machineGuids.length > 0 ? new Set(req.machineGuids) : null,
      withTopology: req.withTopology,
      announced: new Set(),
      closed: false,
      queuedBytes: 0,
      toDump: null,
    };
    const close = () => {
      sub.closed = true;
      this.subs.delete(sub);
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    this.subs.add(sub);
    this.log.log(`subscriber ${call.getPeer()} hosts=${req.machineGuids.join(',') || '*'} topology=${req.withTopology}`);
    if (!sub.withTopology) return;
    sub.toDump = new Map();
    for (const h of hosts) if (this.wants(sub, h.guid)) sub.toDump.set(h.guid, h);
    this.pumpDump(sub);
  }

  /**
   * Writes the topology dump while the call's buffer is short and resumes on 'drain': tens of thousands of charts go
   * out at the subscriber's pace instead of piling up at once (and then counting as a slow reader).
   */
  private pumpDump(s: Subscriber): void {
    const todo = s.toDump;
    if (!todo || s.closed) return;
    for (const h of todo.values()) {
      if (s.call.writableLength >= DUMP_LOW_WATER) {
        s.call.once('drain', () => this.pumpDump(s));
        return;
      }
      this.dumpHost(s, h);
    }
    s.toDump = null;
  }

  private dumpHost(s: Subscriber, h: HostRec): void {
    s.toDump?.delete(h.guid);
    this.write(s, { event: { $case: 'host', host: h.info } }, EVENT_BYTES);
    this.write(s, { event: { $case: 'state', state: this.stateOf(h) } }, EVENT_BYTES);
    for (const c of h.charts.values()) if (!s.announced.has(c.id)) this.announce(s, c);
    for (const v of h.variables.values()) this.write(s, { event: { $case: 'variable', variable: v } }, EVENT_BYTES);
  }

  /** A live event about a host the dump has not reached yet: the dump of that host goes first, and says it all. */
  private dumpFirst(s: Subscriber, guid: string): boolean {
    const h = s.toDump?.get(guid);
    if (!h) return false;
    this.dumpHost(s, h);
    return true;
  }

  closeAll(): void {
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    for (const resolve of this.waiters.splice(0)) resolve();
    for (const s of this.subs) {
      s.closed = true;
      s.call.end();
    }
    this.subs.clear();
  }

  interested(guid: string): boolean {
    for (const s of this.subs) if (this.wants(s, guid)) return true;
    return false;
  }

  host(h: HostRec): void {
    for (const s of this.subs) {
      if (!s.withTopology || !this.wants(s, h.guid) || this.dumpFirst(s, h.guid)) continue;
      this.send(s, { event: { $case: 'host', host: h.info } }, EVENT_BYTES);
    }
  }

  state(h: HostRec, state: HostState): void {
    for (const s of this.subs) {
      if (!s.withTopology || !this.wants(s, h.guid) || this.dumpFirst(s, h.guid)) continue;
      this.send(s, { event: { $case: 'state', state } }, EVENT_BYTES);
    }
  }

  chart(c: ChartRec): void {
    for (const s of this.subs) {
      if (!this.wants(s, c.host.guid) || this.dumpFirst(s, c.host.guid)) continue;
      if (s.withTopology || s.announced.has(c.id)) this.announce(s, c);
    }
  }

  variable(guid: string, v: Variable): void {
    for (const s of this.subs) {
      if (!s.withTopology || !this.wants(s, guid) || this.dumpFirst(s, guid)) continue;
      this.send(s, { event: { $case: 'variable', variable: v } }, EVENT_BYTES);
    }
  }

  /** A host metric-store removed (orphan cleanup): subscribers forget it, and its charts are unannounced. */
  removedHost(h: HostRec): void {
    for (const s of this.subs) {
      if (!this.wants(s, h.guid)) continue;
      s.toDump?.delete(h.guid);
      for (const c of h.charts.values()) s.announced.delete(c.id);
      this.send(s, { event: { $case: 'removedHost', removedHost: h.guid } }, EVENT_BYTES);
    }
  }

  /** `charts` lists the distinct charts used by `samples` (whose chart_index are store-wide chart ids). */
  samples(guid: string, samples: SampleColumns, charts: ChartRec[]): void {
    for (const s of this.subs) {
      if (!this.wants(s, guid)) continue;
      this.dumpFirst(s, guid);
      for (const c of charts) if (!s.announced.has(c.id)) this.announce(s, c);
      this.send(s, { event: { $case: 'samples', samples } }, EVENT_BYTES + samples.rows * ROW_BYTES);
    }
  }

  private stateOf(h: HostRec): HostState {
    return {
      machineGuid: h.guid,
      connected: h.online,
      atMs: h.stateSinceMs,
      reason: h.lastDisconnectReason,
      graceful: true,
      peer: h.peer,
      ingestId: '',
    };
  }

  private announce(s: Subscriber, c: ChartRec): void {
    s.announced.add(c.id);
    this.write(s, { event: { $case: 'chart', chart: { machineGuid: c.host.guid, chartIndex: c.id, chart: c.def } } }, EVENT_BYTES);
  }

  private wants(s: Subscriber, guid: string): boolean {
    return !s.closed && (s.guids === null || s.guids.has(guid));
  }

  /** A live event: past maxQueuedBytes the subscriber is too slow, and is told so and cut off. */
  private send(s: Subscriber, ev: SubscribeEvent, bytes: number): void {
    if (s.closed) return;
    if (s.queuedBytes > this.maxQueuedBytes) return this.cutOff(s, 'too slow');
    this.write(s, ev, bytes);
  }

  /** Tells the subscriber how far behind it is, and ends its call: it resubscribes (and gets the topology again). */
  private cutOff(s: Subscriber, why: string): void {
    s.closed = true;
    this.subs.delete(s);
    const mb = Math.round(s.queuedBytes / 1048576);
    this.log.warn(`subscriber ${s.call.getPeer()} ${why} (${mb} MB of events queued): closing it`);
    s.call.emit('error', { code: status.RESOURCE_EXHAUSTED, details: `subscriber ${why} (${mb} MB queued): resubscribe` });
  }

  private write(s: Subscriber, ev: SubscribeEvent, bytes: number): void {
    if (s.closed) return;
    s.queuedBytes += bytes;
    s.call.write(ev, () => {
      s.queuedBytes -= bytes;
    });
  }
}
