import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { StreamDestination, StreamSenderConf } from '@tributary/config';
import {
  capabilityNames,
  formatStreamRequest,
  Lz4FrameEncoder,
  parseHandshakeReply,
  StreamCapability as C,
  versionToCapabilities,
  type StreamRequest,
} from '@tributary/protocol';

/** What this proxy offers upstream: labels, claim id and chart labels; no replication or functions. */
export const PROXY_OFFERED_CAPS = C.V1 | C.V2 | C.VN | C.VCAPS | C.HLABELS | C.CLAIM | C.CLABELS;
/** Added with `[stream] enable compression`: LZ4 frames, cut anywhere (BINARY), as a 1.37 child sends them. */
export const PROXY_COMPRESSION_CAPS = C.COMPRESSION | C.BINARY;

export interface ProxyLog {
  info(m: string): void;
  error(m: string): void;
}

/** The child's current definitions, replayed to the upstream parent on every (re)connect. */
export interface ProxySource {
  /** Every line that describes the host and its charts now (labels, claim id, charts, dimensions, chart labels). */
  definitions(caps: number): string;
}

export type ProxyState = 'connecting' | 'handshake' | 'streaming' | 'waiting' | 'closed';

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
  ) {}

  private get offered(): number {
    return this.conf.enableCompression ? PROXY_OFFERED_CAPS | PROXY_COMPRESSION_CAPS : PROXY_OFFERED_CAPS;
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
      if (this.state !== 'handshake') return; // commands from the next parent: none with the capabilities we offer
      reply += b.toString('latin1');
      const caps = parseHandshakeReply(reply, (v) => versionToCapabilities(v, this.offered));
      if (caps === undefined) {
        this.fail(`remote node response is not understood or refused: '${reply.slice(0, 120)}'`);
        return;
      }
      this.caps = caps;
      this.state = 'streaming';
      // the compressor's history starts anew with every connection, as the receiver's does
      this.encoder = caps & C.COMPRESSION ? new Lz4FrameEncoder() : undefined;
      s.setTimeout(0);
      this.log.info(
        `${this.who}: established link with negotiated capabilities: ${capabilityNames(caps).join(' ')}, proxying host '${this.request.hostname}'`,
      );
      this.write(s, this.source.definitions(caps));
    });
    s.on('error', (e: Error) => this.fail(e.message));
    s.on('close', () => this.fail('connection closed by the remote parent'));
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
