import { connect, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { formatStreamRequest, Lz4FrameEncoder } from '@tributary/protocol';
import { API_KEY } from './ingest.harness';

/** A child written by hand: real protocol bytes, scripted content. */
export class ScriptedChild {
  socket!: Socket;
  reply = '';
  received = '';
  closed = false;
  private encoder: Lz4FrameEncoder | undefined;
  private waiters: (() => void)[] = [];

  static async connect(port: number, opts: { guid: string; hostname?: string; key?: string; ver?: number; compress?: boolean; tls?: boolean; extra?: [string, string][] }): Promise<ScriptedChild> {
    const c = new ScriptedChild();
    c.socket = opts.tls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : connect({ host: '127.0.0.1', port });
    c.socket.on('data', (b: Buffer) => {
      if (!c.reply) c.reply = b.toString('utf8');
      else c.received += b.toString('utf8');
      c.wake();
    });
    c.socket.on('close', () => {
      c.closed = true;
      c.wake();
    });
    c.socket.on('error', () => undefined);
    await new Promise<void>((r) => c.socket.once(opts.tls ? 'secureConnect' : 'connect', () => r()));
    c.socket.write(
      formatStreamRequest([
        ['key', opts.key ?? API_KEY], ['hostname', opts.hostname ?? 'scripted'], ['machine_guid', opts.guid], ['update_every', 1],
        ['ver', opts.ver ?? (opts.compress === false ? 16376 & ~1024 : 16376)], ...(opts.extra ?? []),
      ]),
    );
    await c.until(() => c.reply !== '' || c.closed, 10000);
    if (opts.compress !== false && /version=(\d+)/.test(c.reply) && Number(/version=(\d+)/.exec(c.reply)?.[1]) & 1024) c.encoder = new Lz4FrameEncoder();
    return c;
  }

  get compressed(): boolean {
    return this.encoder !== undefined;
  }

  send(text: string | Buffer): void {
    const b = typeof text === 'string' ? Buffer.from(text) : text;
    this.socket.write(this.encoder ? this.encoder.encode(b) : b);
  }

  sendRaw(b: Buffer): void {
    this.socket.write(b);
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  until(cond: () => boolean, ms = 10000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cond()) {
          clearTimeout(t);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`condition not met in ${ms} ms (reply '${this.reply}', received '${this.received.slice(-300)}', closed ${this.closed})`));
      }, ms);
      this.waiters.push(check);
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export function until(cond: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const t = setInterval(() => {
      if (cond()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() - start > ms) {
        clearInterval(t);
        reject(new Error(`${what} not met in ${ms} ms`));
      }
    }, 20);
  });
}
