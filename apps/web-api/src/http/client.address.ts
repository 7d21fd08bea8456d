import type { Socket } from 'node:net';
import type { Request } from 'express';

/** Client addresses told by a PROXY line (stream-ingest forwards the public port's HTTP connections). */
const proxied = new WeakMap<Socket, string>();

export function rememberClientAddress(socket: Socket, address: string): void {
  proxied.set(socket, address);
}

/** The real client of a request: the PROXY line's source when there was one, else the socket's peer. */
export function clientAddress(req: Request): string {
  const s = req.socket;
  const a = proxied.get(s) ?? s.remoteAddress ?? '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
