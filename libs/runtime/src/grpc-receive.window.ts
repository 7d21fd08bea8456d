import type { Server } from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session } from 'node:http2';

/**
 * Raises the HTTP/2 receive window of a grpc-js server's connections. grpc-js has no server option for it, and with
 * Node's default of 64 KiB a client stream (MetricStore.Write: megabytes a second) waits for a WINDOW_UPDATE every
 * 64 KiB, which a busy server sends once per event-loop turn: measured ~50k samples/s (~1.5 MB/s) on one core
 * while the store could apply ten times that. Clients do the same with 'grpc-node.flow_control_window'.
 * Call after bindAsync; a grpc-js without the (private) server map keeps its default window.
 */
export function widenReceiveWindow(server: Server, bytes: number): boolean {
  const servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!(servers instanceof Map)) return false;
  for (const h of servers.keys()) {
    h.on('session', (s: ServerHttp2Session) => {
      s.setLocalWindowSize(bytes);
      s.settings({ initialWindowSize: bytes });
    });
  }
  return servers.size > 0;
}
