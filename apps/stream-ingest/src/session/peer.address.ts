import { isIP } from 'node:net';

/** The client IP as Netdata formats it for `allow from` and logs: loopback peers are `localhost`. */
export function netdataClientIp(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  const a = remoteAddress.startsWith('::ffff:') && isIP(remoteAddress.slice(7)) === 4 ? remoteAddress.slice(7) : remoteAddress;
  if (a === '::1' || a.startsWith('127.')) return 'localhost';
  return a;
}
