import type { ConnectorSettings, Destination } from '../config/exporting.settings';
import type { HttpHead } from './batch.transport';

/** `Authorization: Basic ...` ends in a bare LF in Netdata (a quirk receivers accept). */
function authLine(s: ConnectorSettings): string {
  if (!s.username && !s.password) return '';
  return 'Authorization: Basic ' + Buffer.from(s.username + ':' + s.password).toString('base64') + '\n';
}

/**
 * Request heads as Netdata writes them. Host: Netdata sends the whole `destination` option, which breaks as soon as
 * it lists several servers (VictoriaMetrics answers 400); we send the destination actually connected, which is the
 * same bytes for the usual single destination and keeps failover working now that HTTP errors count as failures.
 */
export function httpHeadFor(s: ConnectorSettings): HttpHead | undefined {
  if (!s.http) return undefined;
  const auth = authLine(s);
  if (s.kind === 'remote_write') {
    return (d: Destination, length: number) =>
      `POST ${s.remoteWritePath} HTTP/1.1\r\nHost: ${hostPort(d)}\r\nAccept: */*\r\n${auth}` +
      `Content-Encoding: snappy\r\nContent-Type: application/x-protobuf\r\nX-Prometheus-Remote-Write-Version: 0.1.0\r\n` +
      `Content-Length: ${length}\r\n\r\n`;
  }
  const type = s.kind === 'graphite' ? 'application/graphite' : 'application/json';
  return (d: Destination, length: number) =>
    `POST /api/put HTTP/1.1\r\nHost: ${s.destinations.length === 1 ? s.destinationText.trim() : d.text}\r\n${auth}` +
    `Content-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n`;
}

function hostPort(d: Destination): string {
  return (d.host.includes(':') ? `[${d.host}]` : d.host) + ':' + d.port;
}
