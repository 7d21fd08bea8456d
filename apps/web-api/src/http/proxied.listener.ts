import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { parseProxyHeader } from '@tributary/protocol';
import { rememberClientAddress } from './client.address';

/**
 * web-api's TCP listener: strips the PROXY line stream-ingest sends first and hands the connection to the HTTP
 * server. Connections without one (direct clients, tests) pass through untouched; a malformed line closes only that
 * connection, with a log line.
 */
export function listenWithProxyHeader(http: HttpServer, port: number, host: string, warn: (m: string) => void): Promise<Server> {
  const server = createServer({ pauseOnConnect: true }, (socket) => accept(socket, http, warn));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function accept(socket: Socket, http: HttpServer, warn: (m: string) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), 10000);
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const r = parseProxyHeader(head);
    if (r.kind === 'need-more') return;
    socket.off('data', onData);
    socket.off('error', onError);
    clearTimeout(timer);
    socket.pause();
    if (r.kind === 'invalid') {
      warn(`WEB: ${r.reason} from ${socket.remoteAddress}:${socket.remotePort}; connection closed`);
      socket.destroy();
      return;
    }
    let rest = head;
    if (r.kind === 'found') {
      if (r.peer) rememberClientAddress(socket, r.peer.address);
      rest = head.subarray(r.length);
    }
    if (rest.length > 0) socket.unshift(rest);
    http.emit('connection', socket);
    socket.resume();
  };
  const onError = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', onError);
  socket.resume();
}
