import { Socket } from 'node:net';
import {
  capabilityNames, ChartDef, handshakeReply, HostInfo, LineTokens, Lz4FrameDecoder, parseCDouble, parseCInteger,
  isGuid, parseStreamRequest, serializeChart, serializeDimension, serializeFunctionResult, serializeReplayChart, serializeVariable, StreamCapability as C, StreamRequest, tokenizeLine, versionToCapabilities,
} from '@tributary/protocol';
import { StreamSenderConf, StreamSettings } from '@tributary/config';
import { parseAlgorithm } from '../collect/algorithm';
import { ChartState } from '../collect/chart.state';
import { FLAG_RESET } from '../collect/point.sink';
import { chartLabelLines, claimLine, collectionLines, hostLabelLines } from '../proxy/proxy.lines';
import { ProxySender } from '../proxy/proxy.sender';
import { StoredHostSource } from '../proxy/stored-host.source';
import { HostChannel } from '../store/host.channel';
import { StoreWriter } from '../store/store.writer';
import { HandshakeAuthorizer } from './handshake.authorizer';
import { DeferredReader, ReadScheduler } from './read.scheduler';
import { LiveSession, SessionRegistry } from './session.registry';
import { plausibleChartClocks, ReplayWindow } from './replay.window';
import { StreamLog } from './stream.log';

// Bound once: the compiled CommonJS re-exports of @tributary/protocol are getters, too slow for a per-line call.
const tokenize = tokenizeLine;
const parseInt64 = parseCInteger;
const parseDouble = parseCDouble;

/** Longest line accepted; Netdata truncates at 15360, we refuse far longer ones as garbage. */
export const MAX_LINE_BYTES = 65536;

export interface SessionDeps {
  authorizer: HandshakeAuthorizer;
  registry: SessionRegistry;
  writer: StoreWriter;
  /** shares each event-loop turn's parsing time between children */
  reads: ReadScheduler;
  log: StreamLog;
  defaultUpdateEvery: number;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  ingestId: string;
  /** the store's last stored time per chart of a host, looked up before replying to the handshake */
  storeLookupMs: number;
  /** `[stream]` of stream.conf: how this parent sends when it proxies a child */
  sender: StreamSenderConf;
}

export interface PeerInfo {
  ip: string;
  port: number;
  tls: boolean;
}

class ProtocolError extends Error {}

interface ReplayState {
  /** the point being replayed (RBEGIN '' start end wallclock): its end time, 0 = none open */
  pointEnd: number;
  chart: ChartState | undefined;
}

/**
 * One child connection from the STREAM request to the disconnect: handshake and authorisation, optional LZ4
 * frames, line splitting on Buffers, the 1.37 command set and replication, stored points into the host channel.
 */
export class ReceiverSession implements LiveSession, DeferredReader {
  machineGuid = '';
  hostname = '';
  lastMessageMs = Date.now();
  readonly sinceMs = Date.now();
  caps = 0;
  request: StreamRequest | undefined;
  access: StreamSettings | undefined;
  state: 'handshake' | 'streaming' | 'closed' = 'handshake';
  bytesTotal = 0;
  samplesTotal = 0;
  lastError = '';
  replicationPending = 0;
  replayedPoints = 0;
  private replayedSinceLog = 0;
  private replicationLogged = false;
  readonly charts = new Map<string, ChartState>();

  private head: Buffer = Buffer.alloc(0);
  /** a chunk read in a turn that had no parsing time left: it waits for a later turn, the socket paused */
  private deferred: Buffer | undefined;
  /** the store buffer is full: the socket stays paused until metric-store acknowledges */
  private backpressured = false;
  /** since when the socket is paused (backpressure or waiting for a read turn); 0 while it reads */
  private pausedAtMs = 0;
  private carry: Buffer | undefined;
  private decoder: Lz4FrameDecoder | undefined;
  private channel: HostChannel | undefined;
  private host: HostInfo | undefined;
  private readonly tokens = new LineTokens();
  private chart: ChartState | undefined; // current chart (BEGIN or definition)
  private chartDefs = new Map<string, ChartDef>();
  private pendingChartLabels: Record<string, string> = {};
  private pendingHostLabels: Record<string, string> = {};
  private nextDim = 0;
  private readonly replay: ReplayState = { pointEnd: 0, chart: undefined };
  /** per chart id: what the last REPLAY_CHART asked, so the reply's points are held to it */
  private readonly replayWindows = new Map<string, ReplayWindow>();
  /** RSSTATE lines whose clocks were refused since the last REND (reported there) */
  private clocksRefused = 0;
  private inFunctionResult = false;
  private linesTotal = 0;
  private storeLastStored = new Map<string, number>();
  private handshakeTimer: NodeJS.Timeout | undefined;
  private disconnectReason = '';
  private graceful = false;
  private updates = 0;
  /** the next parent, when `proxy enabled` for this child */
  private proxy: ProxySender | undefined;
  /** per chart id: whether `proxy send charts matching` lets it through (decided at its CHART line) */
  private readonly proxied = new Map<string, boolean>();

  constructor(
    private readonly socket: Socket,
    readonly peer: PeerInfo,
    private readonly deps: SessionDeps,
  ) {}

  get peerText(): string {
    return `[${this.peer.ip}]:${this.peer.port}`;
  }

  get compression(): boolean {
    return this.decoder !== undefined;
  }

  get compressionRatio(): number {
    const d = this.decoder;
    return d && d.compressedBytes > 0 ? d.decompressedBytes / d.compressedBytes : 1;
  }

  /** The link to the next parent, when this child is proxied. */
  get proxyLink(): ProxySender | undefined {
    return this.proxy;
  }

  get bufferedBytes(): number {
    return this.channel?.bufferedBytes ?? 0;
  }

  /** Takes over the socket; `first` holds bytes already read while sniffing the protocol. */
  start(first: Buffer): void {
    this.deps.log.info(`STREAM [receive from ${this.peerText}]: new streaming connection${this.peer.tls ? ' (TLS)' : ''}`);
    this.handshakeTimer = setTimeout(() => this.fail('handshake not completed in time'), this.deps.handshakeTimeoutMs);
    this.socket.on('data', (b: Buffer) => this.onData(b));
    // What the child sent before it closed is parsed first, even when it was waiting for a turn.
    this.socket.on('end', () => {
      this.graceful = true;
      this.runDeferred();
      this.close('socket closed by the child');
    });
    this.socket.on('error', (e: Error) => this.close(`socket error: ${e.message}`));
    this.socket.on('close', () => {
      this.runDeferred();
      this.close(this.disconnectReason || 'socket closed');
    });
    if (first.length) this.onData(first);
  }

  /** graceful: the child said goodbye (FIN) or we are shutting down, rather than an error or a protocol failure. */
  close(reason: string, graceful = false): void {
    if (this.state === 'closed') return;
    if (graceful) this.graceful = true;
    const wasStreaming = this.state === 'streaming';
    this.state = 'closed';
    this.disconnectReason = reason;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (graceful && !this.socket.destroyed) {
      // A clean end (TLS close_notify, then FIN): to a 1.37 child an abrupt TLS close is an "SSL error" (300 s back-off).
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 2000).unref();
    } else {
      this.socket.destroy();
    }
    if (!wasStreaming) return;
    this.proxy?.close();
    this.deps.registry.detach(this);
    for (const c of this.charts.values()) this.deps.registry.rememberLastStored(this.machineGuid, c.id, c.lastStoredS);
    const w = this.deps.writer;
    w.hostState({
      machineGuid: this.machineGuid, connected: false, atMs: Date.now(), reason, graceful: this.graceful,
      peer: `${this.peer.ip}:${this.peer.port}`, ingestId: this.deps.ingestId,
    });
    if (this.channel) w.closeChannel(this.channel);
    this.deps.log.info(`STREAM ${this.hostname} [receive from ${this.peerText}]: disconnected (completed ${this.updates} updates): ${reason}`);
  }

  pauseReading(): void {
    this.backpressured = true;
    this.pause();
  }

  resumeReading(): void {
    this.backpressured = false;
    if (this.state !== 'closed' && !this.deferred) this.resume();
  }

  /** Whether its socket is paused now. */
  get readingPaused(): boolean {
    return this.pausedAtMs > 0;
  }

  /** How far behind this child is: its oldest point metric-store has not acknowledged, or its paused socket. */
  lagMs(nowMs: number): number {
    const paused = this.pausedAtMs ? nowMs - this.pausedAtMs : 0;
    return Math.max(paused, this.channel?.lagMs(nowMs) ?? 0);
  }

  private pause(): void {
    if (!this.pausedAtMs) this.pausedAtMs = Date.now();
    this.socket.pause();
  }

  private resume(): void {
    this.pausedAtMs = 0;
    this.socket.resume();
  }

  /** The turn this connection waited for: parse the held chunk, then read again unless the store pushes back. */
  runDeferred(): void {
    const b = this.deferred;
    if (!b) return;
    this.deferred = undefined;
    if (this.state === 'closed') return;
    this.parse(b);
    if (!this.backpressured && this.isOpen()) this.resume();
  }

  /** A method, not a field test: parsing may have closed the connection since the last look. */
  private isOpen(): boolean {
    return this.state !== 'closed';
  }

  private fail(reason: string): void {
    if (this.state === 'closed') return;
    this.lastError = reason;
    const who = this.hostname || '-';
    this.deps.log.error(`STREAM ${who} [receive from ${this.peerText}]: ${reason}. Closing the connection.`);
    this.close(reason);
  }

  private onData(b: Buffer): void {
    if (this.state === 'closed') return;
    this.bytesTotal += b.length;
    this.lastMessageMs = Date.now();
    if (this.state === 'handshake') return this.onHandshakeBytes(b);
    if (this.deferred) {
      this.deferred = Buffer.concat([this.deferred, b]);
      return;
    }
    if (!this.deps.reads.admit()) {
      this.deferred = b;
      this.pause();
      this.deps.reads.defer(this);
      return;
    }
    this.parse(b);
  }

  private parse(b: Buffer): void {
    try {
      if (this.decoder) this.decoder.feed(b, (block) => this.consume(block));
      else this.consume(b);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.channel?.checkLimit();
    this.deps.writer.afterRead();
  }

  private onHandshakeBytes(b: Buffer): void {
    this.head = this.head.length ? Buffer.concat([this.head, b]) : b;
    const r = parseStreamRequest(this.head);
    if (r.status === 'incomplete') return;
    this.socket.pause();
    if (r.status === 'invalid') return this.fail(`invalid STREAM request: ${r.reason}`);
    this.request = r.request;
    this.hostname = r.request.hostname;
    this.machineGuid = r.request.machineGuid;
    void this.handshake(r.request);
  }

  private async handshake(req: StreamRequest): Promise<void> {
    const d = this.deps;
    const decision = d.authorizer.authorize(req, this.peer.ip, this.peer.port, Math.floor(Date.now() / 1000));
    if (!decision.ok) {
      d.log.access(this.peer, req, decision.accessLog);
      d.log.error(decision.error);
      this.lastError = decision.accessLog;
      if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
      this.state = 'closed';
      this.socket.end(decision.reply);
      return;
    }
    this.access = decision.access;
    let caps = versionToCapabilities(req.version);
    if (!decision.access.enableCompression) caps &= ~C.COMPRESSION;
    if (!decision.access.enableReplication) caps &= ~C.REPLICATION;
    this.caps = caps;
    const ue = decision.access.updateEvery ?? req.updateEvery ?? d.defaultUpdateEvery;
    d.log.info(
      `STREAM ${req.hostname} [receive from ${this.peerText}]: client willing to stream metrics for host '${req.hostname}' with machine_guid '${req.machineGuid}': update every = ${ue}, history = ${decision.access.history}, memory mode = ${decision.access.memoryMode}, health ${decision.access.health}, tags '${req.tags}'`,
    );
    // Replication asks for what the store misses: learn its last stored times before any CHART_DEFINITION_END.
    if (caps & C.REPLICATION) {
      const res = await d.writer.listCharts(req.machineGuid, d.storeLookupMs);
      for (const ch of res?.charts ?? []) if (ch.lastEntryS > 0) this.storeLastStored.set(ch.id, ch.lastEntryS);
    }
    if (this.state === 'closed') return;
    // The liveness check ran before the await; a GUID that connected meanwhile is refused the same way.
    const age = d.registry.lastMessageAge(req.machineGuid);
    if (age !== undefined && age < 30) {
      d.log.access(this.peer, req, 'REJECTED - ALREADY CONNECTED');
      this.state = 'closed';
      this.socket.end('This GUID is already streaming to this server');
      return;
    }
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    d.registry.attach(this);
    this.state = 'streaming';
    this.host = {
      machineGuid: req.machineGuid, hostname: req.hostname, registryHostname: req.registryHostname, os: req.os,
      timezone: req.timezone, abbrevTimezone: req.abbrevTimezone, utcOffset: req.utcOffset, hops: req.hops,
      programName: req.programName, programVersion: req.programVersion, updateEvery: ue, tags: req.tags,
      systemInfo: req.systemInfo, labels: {}, claimId: '', memoryMode: decision.access.memoryMode,
      historySeconds: decision.access.history, healthEnabled: decision.access.health,
    };
    d.writer.upsertHost(this.host);
    d.writer.hostState({
      machineGuid: req.machineGuid, connected: true, atMs: Date.now(), reason: '', graceful: true,
      peer: `${this.peer.ip}:${this.peer.port}`, ingestId: d.ingestId,
    });
    this.channel = d.writer.openChannel(req.machineGuid, this);
    if (caps & C.COMPRESSION) this.decoder = new Lz4FrameDecoder();
    d.log.access(this.peer, req, 'CONNECTED');
    this.socket.write(handshakeReply(caps));
    d.log.info(
      `STREAM ${req.hostname} [receive from ${this.peerText}]: established link with negotiated capabilities: ${capabilityNames(caps).join(' ')} `,
    );
    d.log.info(`STREAM ${req.hostname} [receive from ${this.peerText}]: receiving metrics...`);
    this.socket.setTimeout(d.idleTimeoutMs, () => this.fail(`no data for ${Math.round(d.idleTimeoutMs / 1000)} seconds`));
    this.startProxy(req, decision.access, ue);
    this.socket.resume();
  }

  private startProxy(req: StreamRequest, access: StreamSettings, updateEvery: number): void {
    const p = access.proxy;
    if (!p.enabled) return;
    if (p.destination.length === 0 || !p.apiKey) {
      this.deps.log.error(`STREAM ${req.hostname}: proxy enabled without a destination and an api key; not proxying this host`);
      return;
    }
    const log = { info: (m: string) => this.deps.log.info(m), error: (m: string) => this.deps.log.error(m) };
    const source = new StoredHostSource(
      {
        machineGuid: this.machineGuid,
        hostname: this.hostname,
        host: () => this.host as HostInfo,
        charts: this.charts,
        chartDefs: this.chartDefs,
        proxied: (id) => this.proxied.get(id) === true,
      },
      this.deps.writer,
      this.deps.storeLookupMs,
      log,
    );
    this.proxy = new ProxySender(req, p, this.deps.sender, updateEvery, source, log, access.enableReplication);
    this.proxy.start();
  }


  /** Forwards to the next parent lines about the current chart, when it is proxied. */
  private proxyChart(lines: () => string): void {
    const p = this.proxy;
    if (p?.streaming && this.chart && this.proxied.get(this.chart.id)) p.send(lines());
  }

  /** Splits decoded bytes into lines; a line may continue in the next chunk or LZ4 block. */
  private consume(b: Buffer): void {
    let start = 0;
    if (this.carry) {
      const nl = b.indexOf(10);
      if (nl < 0) {
        if (this.carry.length + b.length > MAX_LINE_BYTES) throw new ProtocolError(`line longer than ${MAX_LINE_BYTES} bytes`);
        this.carry = Buffer.concat([this.carry, b]);
        return;
      }
      const line = Buffer.concat([this.carry, b.subarray(0, nl)]);
      this.carry = undefined;
      this.line(line, 0, line.length);
      start = nl + 1;
    }
    for (let nl = b.indexOf(10, start); nl >= 0; nl = b.indexOf(10, start)) {
      this.line(b, start, nl);
      start = nl + 1;
    }
    if (start < b.length) {
      if (b.length - start > MAX_LINE_BYTES) throw new ProtocolError(`line longer than ${MAX_LINE_BYTES} bytes`);
      this.carry = Buffer.from(b.subarray(start));
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.linesTotal++;
    if (this.inFunctionResult) {
      if (end - start >= 19 && buf.toString('latin1', start, end).trim() === 'FUNCTION_RESULT_END') this.inFunctionResult = false;
      return;
    }
    const t = this.tokens;
    const n = tokenize(buf, start, end, t);
    if (n === 0) return;
    const k = buf[t.starts[0]];
    if (k === 0x53 && t.is(0, 'SET')) return this.set(n);
    if (k === 0x42 && t.is(0, 'BEGIN')) return this.begin(n);
    if (k === 0x45 && t.is(0, 'END')) return this.end();
    if (k === 0x52) {
      if (t.is(0, 'RSET')) return this.rset(n);
      if (t.is(0, 'RBEGIN')) return this.rbegin(n);
      if (t.is(0, 'RDSTATE')) return this.rdstate(n);
      if (t.is(0, 'RSSTATE')) return this.rsstate(n);
      if (t.is(0, 'REND')) return this.rend(n);
    }
    this.command(t.text(0), n);
  }

  private num(k: number): number {
    const t = this.tokens;
    return k < t.count ? parseInt64(t.buf, t.starts[k], t.ends[k]) : 0;
  }

  private dbl(k: number): number {
    const t = this.tokens;
    return k < t.count ? parseDouble(t.buf, t.starts[k], t.ends[k]) : 0;
  }

  private set(n: number): void {
    const st = this.chart;
    if (!st) throw new ProtocolError('SET outside of a chart');
    if (n < 3) throw new ProtocolError('SET without a value');
    const t = this.tokens;
    const dims = st.dims;
    let d = this.nextDim < dims.length ? dims[this.nextDim] : undefined;
    if (d) {
      const s = t.starts[1];
      const id = d.idBytes;
      const len = id.length;
      if (t.ends[1] - s !== len) d = undefined;
      else {
        const b = t.buf;
        for (let i = 0; i < len; i++) {
          if (b[s + i] !== id[i]) {
            d = undefined;
            break;
          }
        }
      }
    }
    if (!d) d = st.dimension(t.text(1));
    if (!d) throw new ProtocolError(`SET for unknown dimension '${t.text(1)}' of chart '${st.id}'`);
    this.nextDim = d.index + 1;
    d.set(parseInt64(t.buf, t.starts[2], t.ends[2]));
  }

  private begin(n: number): void {
    const id = this.tokens.text(1);
    const st = this.charts.get(id);
    if (!st) throw new ProtocolError(`BEGIN for unknown chart '${id}'`);
    this.chart = st;
    this.nextDim = 0;
    st.begin(n > 2 ? this.num(2) : 0, Date.now() * 1000);
  }

  private end(): void {
    const st = this.chart;
    if (!st) throw new ProtocolError('END without a chart');
    const ch = this.channel as HostChannel;
    const before = ch.samplesTotal;
    if (this.proxy?.streaming && this.proxied.get(st.id)) this.proxy.sendCollection(st.id, collectionLines(st));
    st.done(Date.now() * 1000, ch);
    this.samplesTotal += ch.samplesTotal - before;
    this.updates++;
  }

  private command(kw: string, n: number): void {
    switch (kw) {
      case 'CHART': return this.chartLine(n);
      case 'DIMENSION': return this.dimensionLine(n);
      case 'CLABEL': {
        if (!this.chart) throw new ProtocolError('CLABEL without a chart');
        if (n < 4) throw new ProtocolError('CLABEL needs 3 arguments');
        this.pendingChartLabels[this.tokens.text(1)] = this.tokens.text(2);
        return;
      }
      case 'CLABEL_COMMIT': {
        const st = this.chart;
        if (!st) throw new ProtocolError('CLABEL_COMMIT without a chart');
        const def = this.chartDefs.get(st.id) as ChartDef;
        def.labels = this.pendingChartLabels;
        this.pendingChartLabels = {};
        this.deps.writer.chartChanged(this.machineGuid, st.id);
        if (this.proxy) this.proxyChart(() => chartLabelLines(def, (this.proxy as ProxySender).caps));
        return;
      }
      case 'CHART_DEFINITION_END': return this.definitionEnd();
      case 'VARIABLE': return this.variableLine(n);
      case 'LABEL': {
        if (n < 4) throw new ProtocolError('LABEL needs 3 arguments');
        const words: string[] = [];
        for (let k = 3; k < n; k++) words.push(this.tokens.text(k));
        this.pendingHostLabels[this.tokens.text(1)] = words.join(' ');
        return;
      }
      case 'OVERWRITE': {
        const h = this.host as HostInfo;
        h.labels = this.pendingHostLabels;
        this.pendingHostLabels = {};
        this.deps.writer.upsertHost(h);
        if (this.proxy?.streaming) this.proxy.send(hostLabelLines(h, this.proxy.caps));
        return;
      }
      case 'CLAIMED_ID': {
        if (n < 3) throw new ProtocolError('CLAIMED_ID needs 2 arguments');
        const h = this.host as HostInfo;
        const claim = this.tokens.text(2);
        h.claimId = claim === 'NULL' ? '' : claim;
        this.deps.writer.upsertHost(h);
        if (this.proxy?.streaming) this.proxy.send(claimLine(h, this.proxy.caps));
        return;
      }
      case 'FUNCTION': {
        // `FUNCTION "<name>" <timeout> "<help>"` defines a function (kept by nobody yet: Tributary routes no function
        // calls). A call, `FUNCTION <transaction uuid> <timeout> "<function>"`, gets the error a 1.37 agent sends when
        // it cannot route a function, so the caller does not wait for its timeout.
        const tx = this.tokens.text(1);
        if (isGuid(tx)) {
          const body = JSON.stringify({ status: 503, error_message: 'Failed to route request to collector' });
          this.socket.write(serializeFunctionResult(tx, 503, 'application/json', Math.floor(Date.now() / 1000), body));
        }
        return;
      }
      case 'FUNCTION_RESULT_BEGIN':
        this.inFunctionResult = true;
        return;
      default:
        throw new ProtocolError(`unknown command '${kw.slice(0, 40)}'`);
    }
  }

  private chartLine(n: number): void {
    if (n < 2) throw new ProtocolError('CHART without an id');
    const t = this.tokens;
    const id = t.text(1);
    const dot = id.indexOf('.');
    if (dot <= 0 || dot === id.length - 1) throw new ProtocolError(`CHART '${id}' is not type.id`);
    const rawName = t.text(2);
    const name = !rawName || rawName === 'NULL' || rawName === '(NULL)' ? id : `${id.slice(0, dot)}.${rawName}`;
    const chartType = t.text(7);
    let ue = this.num(9);
    if (ue <= 0) ue = this.host?.updateEvery ?? this.deps.defaultUpdateEvery;
    const prev = this.chartDefs.get(id);
    const def: ChartDef = {
      id, name, title: t.text(3), units: t.text(4), family: t.text(5) || id.slice(dot + 1), context: t.text(6) || id,
      chartType: chartType === 'area' || chartType === 'stacked' ? chartType : 'line', priority: n > 8 ? this.num(8) : 1000,
      updateEvery: ue, options: t.text(10), plugin: t.text(11), module: t.text(12),
      dimensions: prev?.dimensions ?? [], labels: prev?.labels ?? {}, firstEntryS: 0, lastEntryS: 0,
    };
    this.chartDefs.set(id, def);
    let st = this.charts.get(id);
    if (!st) {
      st = new ChartState(id, ue, this.deps.writer.chartIndex(this.machineGuid, def));
      st.lastStoredS = Math.max(this.deps.registry.chartLastStored(this.machineGuid, id), this.storeLastStored.get(id) ?? 0);
      this.charts.set(id, st);
    } else {
      this.deps.writer.chartIndex(this.machineGuid, def);
      if (st.updateEvery !== ue) {
        st.updateEvery = ue;
        st.reset();
      }
    }
    if (def.options.includes('obsolete') && !prev?.options.includes('obsolete')) this.deps.writer.chartObsolete(this.machineGuid, id);
    this.chart = st;
    this.pendingChartLabels = {};
    if (this.proxy) {
      // Netdata's sender checks `send charts matching` against the chart's id and its name.
      const pattern = (this.access as StreamSettings).proxy.sendChartsMatching;
      this.proxied.set(id, pattern.matches(id) || pattern.matches(name));
      this.proxyChart(() => serializeChart(def));
    }
  }

  private dimensionLine(n: number): void {
    const st = this.chart;
    if (!st) throw new ProtocolError('DIMENSION without a chart');
    if (n < 2) throw new ProtocolError('DIMENSION without an id');
    const t = this.tokens;
    const id = t.text(1);
    const name = t.text(2) || id;
    const algorithm = t.text(3) || 'absolute';
    const mult = this.num(4) || 1;
    const div = this.num(5) || 1;
    const options = t.text(6);
    const d = st.addDimension(id, name, parseAlgorithm(algorithm), mult, div, options);
    const def = this.chartDefs.get(st.id) as ChartDef;
    const dd = { id, name, algorithm: ['incremental', 'percentage-of-absolute-row', 'percentage-of-incremental-row'].includes(algorithm) ? algorithm : 'absolute', multiplier: mult, divisor: div, options };
    if (d.index < def.dimensions.length) def.dimensions[d.index] = dd;
    else def.dimensions.push(dd);
    this.deps.writer.chartChanged(this.machineGuid, st.id);
    if (this.proxy) this.proxyChart(() => serializeDimension(dd));
  }

  private variableLine(n: number): void {
    const t = this.tokens;
    let k = 1;
    let chartScope = this.chart !== undefined;
    if (t.is(1, 'HOST') || t.is(1, 'GLOBAL')) {
      chartScope = false;
      k = 2;
    } else if (t.is(1, 'CHART') || t.is(1, 'LOCAL')) {
      chartScope = true;
      k = 2;
    }
    if (n < k + 2) throw new ProtocolError('VARIABLE without a value');
    const name = t.text(k);
    const value = this.dbl(k + 1);
    this.deps.writer.variable({ machineGuid: this.machineGuid, chartId: chartScope && this.chart ? this.chart.id : '', name, value });
    // Host variables travel on; chart variables would need the next parent's chart context and are not forwarded.
    if (!chartScope && this.proxy?.streaming) this.proxy.send(serializeVariable('HOST', name, value));
  }

  /** CHART_DEFINITION_END first last wallclock: ask for the range the store misses (1.37's replication request). */
  private definitionEnd(): void {
    const st = this.chart;
    if (!st) throw new ProtocolError('CHART_DEFINITION_END without a chart');
    if (!(this.caps & C.REPLICATION)) return;
    st.replicating = true;
    this.replicationPending++;
    const childFirst = this.num(1);
    const childLast = this.num(2);
    const now = Math.floor(Date.now() / 1000);
    const a = this.access as StreamSettings;
    const gapStart = st.lastStoredS > 0 ? st.lastStoredS : now - a.secondsToReplicate;
    this.requestReplay(st, childFirst, childLast, gapStart, now);
  }

  /**
   * Netdata 1.37's request, bounded: nothing older than this host's retention here (it would be dropped on arrival)
   * and nothing ahead of our clock. A window that is empty after those bounds becomes the empty request.
   */
  private requestReplay(st: ChartState, childFirst: number, childLast: number, gapStart: number, now: number): void {
    const a = this.access as StreamSettings;
    const parentLast = st.lastStoredS;
    const window = this.replayWindowOf(st.id);
    const after = Math.max(childFirst, gapStart, now - a.history);
    const before = Math.min(after + a.secondsPerReplicationStep, now, childLast);
    if (!a.enableReplication || childLast === 0 || st.dims.length === 0 || childFirst <= 0 || childFirst > childLast || parentLast > childLast || before <= after) {
      window.ask(true, 0, 0);
    } else {
      window.ask(now - after <= a.secondsPerReplicationStep || before === childLast, after, before);
    }
    this.socket.write(serializeReplayChart(st.id, window.startStreaming, window.after, window.before));
  }

  private rbegin(n: number): void {
    const t = this.tokens;
    if (t.length(1) > 0) {
      const id = t.text(1);
      const st = this.charts.get(id);
      if (!st) throw new ProtocolError(`RBEGIN for unknown chart '${id}'`);
      this.replay.chart = st;
      this.chart = st;
    }
    this.replay.pointEnd = 0;
    if (n >= 4) {
      const st = this.replay.chart;
      if (!st) throw new ProtocolError('RBEGIN without a chart');
      const start = this.num(2);
      const end = this.num(3);
      const wall = n > 4 ? this.num(4) : 0;
      // A refused point's RSETs are read and dropped; the count is reported once, at REND.
      const window = this.replayWindowOf(st.id);
      if (window.accepts(start, end, wall, st.updateEvery, Math.floor(Date.now() / 1000))) {
        this.replay.pointEnd = end;
      }
    }
  }

  private rset(n: number): void {
    const st = this.replay.chart;
    if (!st) throw new ProtocolError('RSET without RBEGIN');
    const t = this.tokens;
    const d = st.dimension(t.text(1));
    if (!d) throw new ProtocolError(`RSET for unknown dimension '${t.text(1)}' of chart '${st.id}'`);
    const end = this.replay.pointEnd;
    if (end === 0) return;
    let v = this.dbl(2);
    let flags = 0;
    if (n > 3) {
      for (let i = t.starts[3]; i < t.ends[3]; i++) {
        if (t.buf[i] === 0x45) v = NaN; // E: empty slot
        if (t.buf[i] === 0x52) flags |= FLAG_RESET;
      }
    }
    const ch = this.channel as HostChannel;
    ch.point(st.storeIndex, d.index, end, v, flags, NaN);
    this.samplesTotal++;
    this.replayedPoints++;
    this.replayedSinceLog++;
    if (!Number.isNaN(v) && end > st.lastStoredS) st.lastStoredS = end;
  }

  /** A chart never asked about has an empty window: every point it replays is refused. */
  private replayWindowOf(id: string): ReplayWindow {
    let w = this.replayWindows.get(id);
    if (!w) this.replayWindows.set(id, (w = new ReplayWindow()));
    return w;
  }

  private reportRefusedReplay(st: ChartState): void {
    const w = this.replayWindows.get(st.id);
    if ((!w || w.refused === 0) && this.clocksRefused === 0) return;
    const parts: string[] = [];
    if (w && w.refused > 0) {
      const asked = w.after > 0 ? `asked ${w.after} to ${w.startStreaming ? 'now' : w.before}` : 'nothing asked';
      parts.push(`${w.refused} replayed points refused (first: ${w.firstRefusal}; ${asked}; retention ${(this.access as StreamSettings).history} s)`);
    }
    if (this.clocksRefused > 0) parts.push(`${this.clocksRefused} implausible RSSTATE clocks ignored (the chart restarts its timeline)`);
    this.clocksRefused = 0;
    this.deps.log.error(`STREAM ${this.hostname} [receive from ${this.peerText}]: chart '${st.id}': ${parts.join(', ')}`);
  }

  private rdstate(n: number): void {
    const st = this.replay.chart;
    if (!st) throw new ProtocolError('RDSTATE without RBEGIN');
    const d = st.dimension(this.tokens.text(1));
    if (!d) throw new ProtocolError(`RDSTATE for unknown dimension '${this.tokens.text(1)}' of chart '${st.id}'`);
    if (n < 6) throw new ProtocolError('RDSTATE needs 5 arguments');
    d.lastCollected = this.num(3);
    d.collected = d.lastCollected;
    d.lastCalculated = this.dbl(4);
    d.lastStored = this.dbl(5);
    // The child's state continues: its next live value is not a first value.
    if (d.collections < 1) d.collections = 1;
  }

  private rsstate(n: number): void {
    const st = this.replay.chart;
    if (!st) throw new ProtocolError('RSSTATE without RBEGIN');
    if (n < 3) throw new ProtocolError('RSSTATE needs 2 arguments');
    const lastCollectedUs = this.num(1);
    const lastUpdatedUs = this.num(2);
    const nowS = Math.floor(Date.now() / 1000);
    if (plausibleChartClocks(lastCollectedUs, lastUpdatedUs, st.updateEvery, nowS, (this.access as StreamSettings).history)) {
      st.restoreState(lastCollectedUs, lastUpdatedUs);
    } else {
      // The chart starts a fresh timeline from our clock with its first live point instead.
      this.clocksRefused++;
      st.reset();
    }
  }

  private rend(n: number): void {
    const st = this.replay.chart;
    if (!st) throw new ProtocolError('REND without RBEGIN');
    if (n < 8) throw new ProtocolError('REND needs 7 arguments');
    const ue = this.num(1);
    const first = this.num(2);
    const last = this.num(3);
    const start = this.tokens.is(4, 'true');
    const before = this.num(6);
    this.replay.chart = undefined;
    this.replay.pointEnd = 0;
    // A reply nobody asked for would make us ask again, and again: only a replicating chart's REND counts.
    if (!st.replicating) return;
    this.reportRefusedReplay(st);
    if (start) {
      st.replicating = false;
      if (ue > 0 && ue !== st.updateEvery) st.updateEvery = ue;
      this.replicationPending = Math.max(0, this.replicationPending - 1);
      if (this.replicationPending === 0 && (this.replayedSinceLog > 0 || !this.replicationLogged)) {
        this.replicationLogged = true;
        this.deps.log.info(`STREAM ${this.hostname} [receive from ${this.peerText}]: replication finished, ${this.replayedSinceLog} points replayed`);
        this.replayedSinceLog = 0;
      }
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    this.requestReplay(st, first, last, before > 0 ? before : st.lastStoredS, now);
  }
}
