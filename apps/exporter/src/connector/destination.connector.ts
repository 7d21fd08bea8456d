import { Socket, connect as netConnect } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import type { Destination } from '../config/exporting.settings';

export interface ConnectOptions {
  destinations: Destination[];
  timeoutMs: number;
  tls: boolean;
  tlsSkipVerify: boolean;
}

export interface Connected {
  socket: Socket | TLSSocket;
  destination: Destination;
}

function connectOne(d: Destination, opts: ConnectOptions): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = opts.tls
      ? tlsConnect({ host: d.host, port: d.port, servername: d.host, rejectUnauthorized: !opts.tlsSkipVerify })
      : netConnect({ host: d.host, port: d.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${d.text} timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    const ok = (): void => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      socket.setNoDelay(true);
      resolve(socket);
    };
    const fail = (e: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`connect to ${d.text}: ${e.message}`));
    };
    socket.once(opts.tls ? 'secureConnect' : 'connect', ok);
    socket.once('error', fail);
  });
}

/** Destinations are tried in order on every (re)connect; the first that connects is used (Netdata's failover). */
export async function connectFirst(opts: ConnectOptions, onAttempt: () => void): Promise<Connected> {
  const errors: string[] = [];
  for (const destination of opts.destinations) {
    onAttempt();
    try {
      return { socket: await connectOne(destination, opts), destination };
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  throw new Error(errors.length ? errors.join('; ') : 'no destination configured');
}
