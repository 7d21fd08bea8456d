import { connect, Socket } from 'node:net';
import { formatStreamRequest } from '@tributary/protocol';
import { definitions, lz4Frames, Shape } from './stream-payload';

export interface ChildOptions {
  port: number;
  hostname: string;
  guid: string;
  apiKey: string;
  shape: Shape;
  compress: boolean;
}

/**
 * One synthetic Netdata child: the real handshake, chart definitions, an answer to every REPLAY_CHART (empty
 * replication, start streaming), then collections from a shared precomputed payload.
 */
export class SyntheticChild {
  private socket!: Socket;
  private pendingReplay = 0;
  private inbound = '';
  streaming = false;
  closed = false;
  error = '';

  constructor(private readonly o: ChildOptions) {}

  private out(plain: string | Buffer): Buffer {
    const b = typeof plain === 'string' ? Buffer.from(plain) : plain;
    return this.o.compress ? lz4Frames(b) : b;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: this.o.port });
      this.socket = s;
      s.setNoDelay(true);
      let replied = false;
      s.on('error', (e) => {
        this.error = e.message;
        if (!replied) reject(e);
      });
      s.on('close', () => (this.closed = true));
      s.on('connect', () =>
        s.write(formatStreamRequest([
          ['key', this.o.apiKey], ['hostname', this.o.hostname], ['machine_guid', this.o.guid], ['update_every', this.o.shape.updateEvery ?? 1],
          ['os', 'linux'], ['hops', 1], ['ver', this.o.compress ? 16376 : 15352], ['NETDATA_PROTOCOL_VERSION', '1.1'],
        ])),
      );
      s.on('data', (b: Buffer) => {
        if (!replied) {
          replied = true;
          const reply = b.toString();
          if (!reply.startsWith('Hit me baby')) return reject(new Error(`${this.o.hostname}: refused: ${reply}`));
          const now = Math.floor(Date.now() / 1000);
          this.pendingReplay = this.o.shape.charts;
          s.write(this.out(definitions(this.o.shape, now)));
          return;
        }
        this.inbound += b.toString();
        let nl: number;
        let answer = '';
        while ((nl = this.inbound.indexOf('\n')) >= 0) {
          const line = this.inbound.slice(0, nl);
          this.inbound = this.inbound.slice(nl + 1);
          const m = /^REPLAY_CHART "([^"]+)"/.exec(line);
          if (!m) continue;
          const now = Math.floor(Date.now() / 1000);
          answer += `RBEGIN "${m[1]}"\nREND ${this.o.shape.updateEvery ?? 1} ${now - 3600} ${now - 1} true 0 0 ${now}\n`;
          this.pendingReplay--;
        }
        if (answer) s.write(this.out(answer));
        if (this.pendingReplay === 0 && !this.streaming) {
          this.streaming = true;
          resolve();
        }
      });
    });
  }

  /** Writes one payload; false when the socket pushes back (the parent is not reading). */
  write(payload: Buffer): boolean {
    return !this.closed && this.socket.write(payload);
  }

  onDrain(cb: () => void): void {
    this.socket.once('drain', cb);
  }

  close(): void {
    this.socket.destroy();
  }
}
