/**
 * The PROXY protocol v1 line (HAProxy's text form) that stream-ingest puts in front of every HTTP connection it
 * forwards to web-api, so that web-api knows the real client address (Netdata keys the Prometheus scrape state by
 * it when no `server=` is given) although the public port is stream-ingest's.
 */
export interface ProxiedPeer {
  /** the client's address, IPv4 without the `::ffff:` prefix */
  address: string;
  port: number;
}

const MAX_LINE = 107; // the v1 maximum, CRLF included
const SIGNATURE = 'PROXY ';

function plain(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function encodeProxyHeader(src: { address?: string; port?: number }, dst: { address?: string; port?: number }): string {
  const s = plain(src.address ?? '');
  const d = plain(dst.address ?? '');
  if (!s || !d || !src.port || !dst.port) return 'PROXY UNKNOWN\r\n';
  const family = s.includes(':') || d.includes(':') ? 'TCP6' : 'TCP4';
  return `PROXY ${family} ${s} ${d} ${src.port} ${dst.port}\r\n`;
}

export type ProxyHeaderResult =
  | { kind: 'need-more' }
  | { kind: 'absent' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'found'; peer: ProxiedPeer | undefined; length: number };

/** Looks for the line at the start of `buf` (the first bytes of a connection). `peer` is undefined for UNKNOWN. */
export function parseProxyHeader(buf: Buffer): ProxyHeaderResult {
  const n = Math.min(buf.length, SIGNATURE.length);
  if (buf.toString('latin1', 0, n) !== SIGNATURE.slice(0, n)) return { kind: 'absent' };
  const end = buf.indexOf('\r\n');
  if (end < 0) return buf.length >= MAX_LINE ? { kind: 'invalid', reason: 'PROXY line longer than 107 bytes' } : { kind: 'need-more' };
  const parts = buf.toString('latin1', 0, end).split(' ');
  if (parts[1] === 'UNKNOWN') return { kind: 'found', peer: undefined, length: end + 2 };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return { kind: 'invalid', reason: `malformed PROXY line '${parts.join(' ')}'` };
  const port = Number(parts[4]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return { kind: 'invalid', reason: `bad source port '${parts[4]}'` };
  return { kind: 'found', peer: { address: parts[2], port }, length: end + 2 };
}
