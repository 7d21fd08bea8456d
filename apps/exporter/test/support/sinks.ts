import { createServer, type Server, type Socket } from 'node:net';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP receiver that records every byte (and, for HTTP, answers with the next scripted status). */
export class CaptureServer {
  readonly server: Server;
  data = '';
  requests: string[] = [];
  statuses: number[] = [];
  private sockets = new Set<Socket>();

  constructor(private readonly http = false) {
    this.server = createServer((sock) => {
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      let pending = Buffer.alloc(0);
      sock.on('data', (b) => {
        this.data += b.toString('latin1');
        if (!this.http) return;
        pending = Buffer.concat([pending, b]);
        for (;;) {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = pending.subarray(0, end).toString('latin1');
          const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
          if (pending.length < end + 4 + len) return;
          this.requests.push(pending.subarray(0, end + 4 + len).toString('latin1'));
          pending = pending.subarray(end + 4 + len);
          const status = this.statuses.shift() ?? 204;
          const body = status >= 400 ? 'broken on purpose' : '';
          sock.write(`HTTP/1.1 ${status} X\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        }
      });
    });
  }

  listen(port = 0): Promise<number> {
    return new Promise((r) => this.server.listen(port, '127.0.0.1', () => r((this.server.address() as { port: number }).port)));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
