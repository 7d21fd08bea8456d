import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { SecureContext, TLSSocket } from 'node:tls';

/**
 * TLS on a socket whose first bytes were already read to sniff the protocol. A TLSSocket over a net.Socket reads
 * the file descriptor natively and would miss them, so the raw socket is bridged through a JS Duplex instead.
 */
export function wrapServerTls(raw: Socket, first: Buffer, secureContext: SecureContext): TLSSocket {
  const bridge = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  raw.on('data', (d: Buffer) => {
    if (!bridge.push(d)) raw.pause();
  });
  raw.on('end', () => bridge.push(null));
  raw.on('close', () => bridge.destroy());
  raw.on('error', (e) => bridge.destroy(e));
  bridge.push(first);
  return new TLSSocket(bridge, { isServer: true, secureContext });
}
