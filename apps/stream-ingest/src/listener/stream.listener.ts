import { createServer, Server, Socket } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:crypto';
import { createSecureContext, SecureContext } from 'node:tls';
import { parseStreamRequest } from '@tributary/protocol';
import { IngestSettings } from '../settings/ingest.settings';
import { netdataClientIp } from '../session/peer.address';
import { ReceiverSession, SessionDeps } from '../session/receiver.session';
import { StreamLog } from '../session/stream.log';
import { proxyToWebApi } from './http.proxy';
import { wrapServerTls } from './tls.wrap';

const METHOD = Buffer.from('STREAM ');
const SNIFF_LIMIT = 16384;

/**
 * The public port: plain and TLS on the same socket (a first byte 0x16 is a TLS ClientHello), STREAM requests to a
 * receiver session, everything else proxied to web-api. With `^SSL=force` plain requests are refused as Netdata does.
 */
export class StreamListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly secureContext: SecureContext | undefined;
  private readonly webApi: URL;
  readonly sessions = new Set<ReceiverSession>();

  constructor(private readonly settings: IngestSettings, private readonly deps: SessionDeps, private readonly log: StreamLog) {
    const haveFiles = settings.sslKeyFile !== '' && settings.sslCertFile !== '' && existsSync(settings.sslKeyFile) && existsSync(settings.sslCertFile);
    // Netdata's default key/certificate paths are set even when no TLS is wanted: only ^SSL= makes them required.
    if (haveFiles || settings.sslMode !== 'none') {
      // TLS 1.2 without tickets: a TLS 1.3 server sends session tickets after the handshake, which a 1.37 child's
      // non-blocking SSL_read meets as WANT_READ and takes for a broken link (it reconnects a few times).
      this.secureContext = createSecureContext({
        key: readFileSync(settings.sslKeyFile),
        cert: readFileSync(settings.sslCertFile),
        maxVersion: 'TLSv1.2',
        secureOptions: constants.SSL_OP_NO_TICKET,
      });
    }
    this.webApi = new URL(settings.webApiUrl);
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  listen(): Promise<void> {
    const server = createServer({ noDelay: true }, (s) => this.onConnection(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.port, this.settings.listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    // Stop accepting before ending the streams: a child reconnects the moment its stream ends, and a TLS child whose
    // new connection is reset mid-handshake backs off for 300 s ("SSL error" to Netdata 1.37); refused, it retries soon.
    const closed = new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    for (const s of this.sessions) s.close('parent is shutting down', true);
    for (const s of this.sockets) if (!s.destroyed) s.end();
    const grace = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 2000);
    await closed;
    clearTimeout(grace);
  }

  private onConnection(raw: Socket): void {
    this.sockets.add(raw);
    raw.on('close', () => this.sockets.delete(raw));
    raw.on('error', () => undefined);
    const peer = { ip: netdataClientIp(raw.remoteAddress), port: raw.remotePort ?? 0 };
    raw.once('data', (first: Buffer) => {
      raw.pause();
      if (first[0] === 0x16 && this.secureContext) {
        const tls = wrapServerTls(raw, first, this.secureContext);
        tls.on('error', (e) => {
          this.log.error(`WEB_SERVER: TLS error from [${peer.ip}]:${peer.port}: ${e.message}`);
          tls.destroy();
        });
        tls.once('secure', () => undefined);
        this.sniff(tls, peer, true);
        return;
      }
      raw.unshift(first);
      this.sniff(raw, peer, false);
    });
  }

  /** Reads until the method is known, then hands the socket over. */
  private sniff(socket: Socket, peer: { ip: string; port: number }, tls: boolean): void {
    let head: Buffer = Buffer.alloc(0);
    const onData = (b: Buffer) => {
      head = head.length ? Buffer.concat([head, b]) : b;
      const n = Math.min(head.length, METHOD.length);
      const isStream = head.subarray(0, n).equals(METHOD.subarray(0, n));
      if (isStream && head.length < METHOD.length) return;
      const plainForced = !tls && this.settings.sslMode === 'force';
      // Under ^SSL=force the whole request is needed: the refusal names the child's hostname or the URL.
      if (plainForced && head.indexOf('\r\n\r\n') < 0 && head.length < SNIFF_LIMIT) return;
      socket.off('data', onData);
      socket.pause();
      if (plainForced) return this.refusePlain(socket, head, isStream);
      if (isStream) {
        const session = new ReceiverSession(socket, { ...peer, tls }, this.deps);
        this.sessions.add(session);
        socket.on('close', () => this.sessions.delete(session));
        socket.resume();
        session.start(head);
        return;
      }
      proxyToWebApi(socket, head, this.webApi, (m) => this.log.error(m));
      socket.resume();
    };
    socket.on('data', onData);
    socket.resume();
  }

  private refusePlain(socket: Socket, head: Buffer, isStream: boolean): void {
    if (isStream) {
      const r = parseStreamRequest(head);
      const hostname = r.status === 'ok' ? r.request.hostname : '';
      this.log.error(
        `WEB_SERVER: The server is configured to always use encrypted connections, please enable the SSL on child with hostname '${hostname}'.`,
      );
      const body = "I don't understand you...\r\n";
      socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    const line = head.toString('latin1', 0, Math.max(0, head.indexOf('\r\n')));
    const path = line.split(' ')[1] ?? '/';
    const host = /\r\nhost:\s*([^\r\n]+)/i.exec(head.toString('latin1'))?.[1] ?? `${this.settings.listenHost}:${this.port}`;
    socket.end(`HTTP/1.1 301 Moved Permanently\r\nLocation: https://${host}${path}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}
