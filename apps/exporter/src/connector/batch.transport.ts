import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Destination } from '../config/exporting.settings';
import { connectFirst, type ConnectOptions } from './destination.connector';
import { HttpResponseReader } from './http-response.reader';

export interface TransportEvents {
  reconnect(): void;
  received(bytes: number): void;
}

/** Builds the request head for one HTTP batch, given the destination actually connected. */
export type HttpHead = (destination: Destination, bodyLength: number) => string;

/**
 * One persistent connection to the first reachable destination. `send` resolves when the batch is written (TCP) or
 * acknowledged with a 2xx (HTTP); any error closes the connection so the next send reconnects with failover.
 */
export class BatchTransport {
  private socket: Socket | TLSSocket | undefined;
  private reader: HttpResponseReader | undefined;
  destination: Destination | undefined;

  constructor(
    private readonly opts: ConnectOptions,
    private readonly head: HttpHead | undefined,
    private readonly events: TransportEvents,
  ) {}

  private async ensure(): Promise<Socket | TLSSocket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return this.socket;
    this.close();
    const c = await connectFirst(this.opts, () => this.events.reconnect());
    const socket = c.socket;
    this.socket = socket;
    this.destination = c.destination;
    if (this.head) {
      const reader = new HttpResponseReader();
      this.reader = reader;
      socket.on('data', (b: Buffer) => {
        this.events.received(b.length);
        reader.push(b);
      });
    } else {
      // Plain TCP receivers have nothing to say; whatever they send is read and discarded, as Netdata does.
      socket.on('data', (b: Buffer) => this.events.received(b.length));
    }
    const gone = (e?: Error): void => {
      if (this.socket === socket) this.socket = undefined;
      this.reader?.fail(e ?? new Error('connection closed by peer'));
      socket.destroy();
    };
    socket.on('error', gone);
    socket.on('end', () => gone());
    socket.on('close', () => gone());
    return socket;
  }

  close(): void {
    const s = this.socket;
    this.socket = undefined;
    this.reader?.fail(new Error('connection closed'));
    this.reader = undefined;
    s?.destroy();
  }

  async send(body: Buffer): Promise<void> {
    const socket = await this.ensure();
    const reader = this.reader;
    const expect = this.head && reader ? reader.expect(this.opts.timeoutMs) : undefined;
    // Avoid an unhandled rejection if the write fails first.
    expect?.catch(() => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error): void => reject(e);
        socket.once('error', onError);
        const chunks = this.head && this.destination ? [Buffer.from(this.head(this.destination, body.length), 'latin1'), body] : [body];
        let pending = chunks.length;
        for (const c of chunks) {
          socket.write(c, (err) => {
            if (err) {
              socket.removeListener('error', onError);
              reject(err);
            } else if (--pending === 0) {
              socket.removeListener('error', onError);
              resolve();
            }
          });
        }
      });
      if (expect) {
        const res = await expect;
        if (res.status < 200 || res.status > 299) {
          throw new Error(`HTTP ${res.status} from ${this.destination?.text}: ${res.body.slice(0, 200).trim()}`);
        }
        if (res.close) this.close();
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }
}
