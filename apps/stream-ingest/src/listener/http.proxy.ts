import { connect, Socket } from 'node:net';
import { encodeProxyHeader } from '@tributary/protocol';

/**
 * Non-STREAM requests on the public port go to web-api's HTTP listener byte for byte (one port for everything),
 * after a PROXY protocol line that tells web-api who the client is.
 */
export function proxyToWebApi(client: Socket, first: Buffer, webApiUrl: URL, onError: (msg: string) => void): void {
  const upstream = connect({ host: webApiUrl.hostname, port: Number(webApiUrl.port || 80) });
  upstream.setNoDelay(true);
  upstream.write(
    encodeProxyHeader({ address: client.remoteAddress, port: client.remotePort }, { address: client.localAddress, port: client.localPort }),
  );
  upstream.write(first);
  client.pipe(upstream);
  upstream.pipe(client);
  upstream.on('error', (e) => {
    onError(`WEB: cannot proxy a request from ${client.remoteAddress}:${client.remotePort} to ${webApiUrl.host}: ${e.message}`);
    if (!client.destroyed && client.bytesWritten === 0) {
      const body = 'The server encountered an internal error. Try later.';
      client.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    } else client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
}
