import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { SecureContext, TLSSocket } from 'node:tls';

/**
 * TLS on a socket whose first bytes were already read to sniff the protocol. A TLSSocket over a net.Socket reads
 * the file descriptor natively and would miss them, so the raw socket is bridged through a JS Duplex instead.
 */
export function wrapServerTls(raw: Socket, first: Buffer, secureContext: SecureContext): TLSSocket {
  let corked = false;
  const bridge = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      // TLS hands over one record in several chunks; a record split across TCP segments makes a 1.37 child's
      // non-blocking SSL_read return WANT_READ, which it takes for an error and disconnects. One write per tick.
      if (!corked) {
        corked = true;
        raw.cork();
        process.nextTick(() => {
          corked = false;
          raw.uncork();
        });
      }
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
