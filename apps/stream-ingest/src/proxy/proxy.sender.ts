import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { StreamDestination, StreamSenderConf } from '@tributary/config';
import {
  capabilityNames,
  formatStreamRequest,
  Lz4FrameEncoder,
  LineTokens,
  parseHandshakeReply,
  StreamCapability as C,
  tokenizeLine,
  versionToCapabilities,
  type StreamRequest,
} from '@tributary/protocol';

/** What this proxy offers upstream: labels, claim id and chart labels; no replication or functions. */
export const PROXY_OFFERED_CAPS = C.V1 | C.V2 | C.VN | C.VCAPS | C.HLABELS | C.CLAIM | C.CLABELS;
/** Added with `[stream] enable compression`: LZ4 frames, cut anywhere (BINARY), as a 1.37 child sends them. */
export const PROXY_COMPRESSION_CAPS = C.COMPRESSION | C.BINARY;
/** Added when replication is enabled for the host: the next parent fills its gaps from metric-store's data. */
export const PROXY_REPLICATION_CAPS = C.REPLICATION;

export interface ProxyLog {
  info(m: string): void;
  error(m: string): void;
}

/** What the sender asks of the proxied child's session. */
export interface ProxySource {
  /**
   * Every line that describes the host and its charts now (labels, claim id, charts, dimensions, chart labels) and,
   * with REPLICATION, a CHART_DEFINITION_END per chart; `replicating` lists those charts, whose live data waits for
   * the end of their replication.
   */
  definitions(caps: number): Promise<{ text: string; replicating: string[] }>;
  /** The answer to `REPLAY_CHART`: RBEGIN, the stored points, the collection state when streaming starts, REND. */
  replay(chartId: string, startStreaming: boolean, after: number, before: number): Promise<string>;
}

/** syncing: accepted by the next parent, the definitions are being prepared (live data is not sent yet). */
export type ProxyState = 'connecting' | 'handshake' | 'syncing' | 'streaming' | 'waiting' | 'closed';

/**
 * One proxied child's stream to the next parent (`proxy destination`): Netdata's sender side for a host this
 * parent receives. Connects to the destinations in order, introduces the child with its own identity, `hops` + 1
 * and `proxy api key`, replays the current definitions, then forwards what `send()` is given. While it is not
 * streaming, forwarded data is dropped (the next parent misses it; it has no replication from us). A backlog beyond
 * `buffer size bytes` ends the connection, as Netdata's sender does on a buffer overflow.
 */
export class ProxySender {
  state: ProxyState = 'waiting';
  caps = 0;
  bytesSent = 0;
  connects = 0;
  lastError = '';
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private destination: StreamDestination | undefined;
  private encoder: Lz4FrameEncoder | undefined;
  /** charts whose replication has not ended yet: their live collections are held back (they are in the store) */
  private readonly replicating = new Set<string>();
  private inbound = '';
  private readonly tokens = new LineTokens();
  /** REPLAY_CHART answers, one at a time and in order */
  private replies: Promise<void> = Promise.resolve();
  replayedCharts = 0;

  constructor(
    private readonly request: StreamRequest,
    private readonly proxy: { destination: readonly StreamDestination[]; apiKey: string },
    private readonly conf: Pick<
      StreamSenderConf,
      'timeoutSeconds' | 'reconnectDelaySeconds' | 'bufferSizeBytes' | 'sslSkipCertificateVerification' | 'caFile' | 'enableCompression'
    >,
    private readonly updateEvery: number,
    private readonly source: ProxySource,
    private readonly log: ProxyLog,
    private readonly replication = false,
  ) {}

  private get offered(): number {
    let caps = PROXY_OFFERED_CAPS;
    if (this.conf.enableCompression) caps |= PROXY_COMPRESSION_CAPS;
    if (this.replication) caps |= PROXY_REPLICATION_CAPS;
    return caps;
  }

  get streaming(): boolean {
    return this.state === 'streaming';
  }

  get destinationText(): string {
    return this.destination?.text ?? '';
  }

  private get who(): string {
    return `STREAM ${this.request.hostname} [send to ${this.destination?.text ?? '-'}]`;
  }

  start(): void {
    this.connect();
  }

  /** Forwards one collection of a chart; held back while the chart replicates (it is in the store). */
  sendCollection(chartId: string, text: string): void {
    if (this.replicating.size > 0 && this.replicating.has(chartId)) return;
    this.send(text);
  }

  /** Forwards lines; dropped unless streaming. */
  send(text: string): void {
    const s = this.socket;
    if (this.state !== 'streaming' || !s) return;
    if (s.writableLength > this.conf.bufferSizeBytes) {
      this.fail(`buffer overflow (${s.writableLength} bytes pending > buffer size bytes ${this.conf.bufferSizeBytes}), reconnecting`);
      return;
    }
    this.write(s, text);
  }

  private write(s: Socket, text: string): void {
    const out = this.encoder ? this.encoder.encode(Buffer.from(text, 'utf8')) : text;
    s.write(out);
    this.bytesSent += out.length;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.timer) clearTimeout(this.timer);
    this.socket?.end();
    const s = this.socket;
    if (s) setTimeout(() => s.destroy(), 2000).unref();
    this.socket = undefined;
  }

  private connect(): void {
    if (this.state === 'closed') return;
    const list = this.proxy.destination;
    if (list.length === 0) return;
    const dest = list[this.next % list.length];
    this.next++;
    this.destination = dest;
    this.state = 'connecting';
    this.connects++;
    let s: Socket;
    try {
      s = dest.ssl
        ? tlsConnect({
            host: dest.host,
            port: dest.port,
            servername: dest.host,
            rejectUnauthorized: !this.conf.sslSkipCertificateVerification,
            ca: this.conf.caFile ? readFileSync(this.conf.caFile) : undefined,
          })
        : netConnect({ host: dest.host, port: dest.port });
    } catch (e) {
      this.retry(`cannot connect: ${(e as Error).message}`);
      return;
    }
    this.socket = s;
    s.setNoDelay(true);
    s.setTimeout(this.conf.timeoutSeconds * 1000, () => this.fail(`timeout after ${this.conf.timeoutSeconds} seconds`));
    s.once(dest.ssl ? 'secureConnect' : 'connect', () => {
      this.state = 'handshake';
      s.write(this.streamRequest());
    });
    let reply = '';
    s.on('data', (b: Buffer) => {
      if (this.state === 'streaming') return this.commands(s, b);
      if (this.state !== 'handshake') return;
      reply += b.toString('latin1');
      const caps = parseHandshakeReply(reply, (v) => versionToCapabilities(v, this.offered));
      if (caps === undefined) {
        this.fail(`remote node response is not understood or refused: '${reply.slice(0, 120)}'`);
        return;
      }
      this.caps = caps;
      this.state = 'syncing';
      // the compressor's history starts anew with every connection, as the receiver's does
      this.encoder = caps & C.COMPRESSION ? new Lz4FrameEncoder() : undefined;
      s.setTimeout(0);
      this.log.info(
        `${this.who}: established link with negotiated capabilities: ${capabilityNames(caps).join(' ')}, proxying host '${this.request.hostname}'`,
      );
      this.replicating.clear();
      this.inbound = '';
      this.source.definitions(caps).then(
        (d) => {
          if (this.socket !== s || this.state !== 'syncing') return;
          for (const id of d.replicating) this.replicating.add(id);
          this.write(s, d.text);
          this.state = 'streaming';
          this.log.info(`${this.who}: definitions sent, ${d.replicating.length} charts offered for replication`);
        },
        (e: unknown) => this.fail(`cannot prepare the definitions: ${(e as Error).message}`),
      );
    });
    s.on('error', (e: Error) => this.fail(e.message));
    s.on('close', () => this.fail('connection closed by the remote parent'));
  }

  /** Lines from the next parent: REPLAY_CHART requests (with REPLICATION); anything else is ignored. */
  private commands(s: Socket, b: Buffer): void {
    this.inbound += b.toString('utf8');
    let nl: number;
    while ((nl = this.inbound.indexOf('\n')) >= 0) {
      const line = Buffer.from(this.inbound.slice(0, nl), 'utf8');
      this.inbound = this.inbound.slice(nl + 1);
      const t = this.tokens;
      const n = tokenizeLine(line, 0, line.length, t);
      if (n < 5 || !t.is(0, 'REPLAY_CHART')) continue;
      const chartId = t.text(1);
      const start = t.is(2, 'true');
      const after = Number(t.text(3));
      const before = Number(t.text(4));
      this.replies = this.replies.then(async () => {
        const text = await this.source.replay(chartId, start, after, before);
        if (this.socket !== s || this.state !== 'streaming') return;
        this.write(s, text);
        if (start) {
          this.replicating.delete(chartId);
          this.replayedCharts++;
        }
      }).catch((e: unknown) => this.log.error(`${this.who}: cannot answer REPLAY_CHART for '${chartId}': ${(e as Error).message}`));
    }
    if (this.inbound.length > 65536) this.fail('a line from the next parent longer than 64 KiB');
  }

  private streamRequest(): string {
    const r = this.request;
    const params: [string, string | number][] = [
      ['key', this.proxy.apiKey],
      ['hostname', r.hostname],
      ['registry_hostname', r.registryHostname],
      ['machine_guid', r.machineGuid],
      ['update_every', this.updateEvery],
      ['os', r.os],
      ['timezone', r.timezone],
      ['abbrev_timezone', r.abbrevTimezone],
      ['utc_offset', r.utcOffset],
      ['hops', r.hops + 1],
      ['ml_capable', r.mlCapable ? 1 : 0],
      ['ml_enabled', r.mlEnabled ? 1 : 0],
      ['mc_version', r.mcVersion],
      ['tags', r.tags],
      ['ver', this.offered],
    ];
    // The receiving side renamed the child's NETDATA_SYSTEM_OS_* to NETDATA_HOST_OS_*: send them as the child did.
    for (const [k, v] of Object.entries(r.systemInfo)) {
      if (k === 'NETDATA_PROTOCOL_VERSION') continue;
      params.push([k.startsWith('NETDATA_HOST_OS_') ? `NETDATA_SYSTEM_OS_${k.slice(16)}` : k, v]);
    }
    params.push(['NETDATA_PROTOCOL_VERSION', '1.1']);
    return formatStreamRequest(
      params.filter(([, v]) => v !== ''),
      `${r.programName || 'netdata'}/${r.programVersion || 'v1.37.1'}`,
    );
  }

  private fail(reason: string): void {
    if (this.state === 'closed' || this.state === 'waiting') return;
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    this.retry(reason);
  }

  private retry(reason: string): void {
    this.lastError = reason;
    this.state = 'waiting';
    const delay = Math.max(1, this.conf.reconnectDelaySeconds);
    this.log.error(`${this.who}: ${reason}; trying the next destination in ${delay} seconds`);
    this.timer = setTimeout(() => this.connect(), delay * 1000);
    this.timer.unref();
  }
}
