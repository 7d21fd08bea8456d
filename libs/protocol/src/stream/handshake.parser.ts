import { parseCIntegerString } from './c-number';

// The STREAM request as a 1.37 parent reads it (web_client.c + rrdpush_receiver_thread_spawn): not an HTTP parser,
// because children send raw spaces inside values.

export interface StreamRequest {
  key: string;
  hostname: string;
  registryHostname: string;
  machineGuid: string;
  /** undefined: the parent's own update_every applies */
  updateEvery: number | undefined;
  os: string;
  timezone: string;
  abbrevTimezone: string;
  utcOffset: number;
  hops: number;
  mlCapable: boolean;
  mlEnabled: boolean;
  mcVersion: number;
  tags: string;
  /** `ver`, or 1 when only NETDATA_PROTOCOL_VERSION came, or 0 */
  version: number;
  /** NETDATA_* parameters, NETDATA_SYSTEM_OS_* renamed NETDATA_HOST_OS_* */
  systemInfo: Record<string, string>;
  /** names that are neither known nor NETDATA_* (Netdata logs and ignores them) */
  unknown: string[];
  programName: string;
  programVersion: string;
}

export type HandshakeParse =
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: string }
  | { status: 'ok'; request: StreamRequest; consumed: number };

export const MAX_HANDSHAKE_BYTES = 16384;

const END = Buffer.from('\r\n\r\n');
const HTTP_MARK = Buffer.from(' HTTP/');
const METHOD = Buffer.from('STREAM ');
const RENAMED_OS = new Set(['NAME', 'ID', 'ID_LIKE', 'VERSION', 'VERSION_ID', 'DETECTION']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `%XX` and `+` decoding of the whole target (Netdata's url_decode_r); undefined when the result is not UTF-8. */
export function urlDecode(target: Buffer): string | undefined {
  const out = Buffer.allocUnsafe(target.length);
  let o = 0;
  for (let i = 0; i < target.length; i++) {
    const c = target[i];
    if (c === 37 && i + 2 < target.length) {
      const hex = target.toString('latin1', i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out[o++] = Number.parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    out[o++] = c === 43 ? 32 : c;
  }
  try {
    return utf8.decode(out.subarray(0, o));
  } catch {
    return undefined;
  }
}

export function isStreamRequestStart(buf: Buffer): boolean {
  const n = Math.min(buf.length, METHOD.length);
  return buf.subarray(0, n).equals(METHOD.subarray(0, n));
}

export function parseStreamRequest(buf: Buffer): HandshakeParse {
  const endAt = buf.indexOf(END);
  if (endAt < 0) {
    if (buf.length > MAX_HANDSHAKE_BYTES) return { status: 'invalid', reason: 'request too long' };
    return { status: 'incomplete' };
  }
  if (!buf.subarray(0, METHOD.length).equals(METHOD)) return { status: 'invalid', reason: 'not a STREAM request' };
  const consumed = endAt + END.length;
  if (buf.length > consumed) return { status: 'invalid', reason: 'data sent before the handshake reply' };
  const markAt = buf.indexOf(HTTP_MARK, METHOD.length);
  if (markAt < 0 || markAt > endAt) return { status: 'invalid', reason: 'no HTTP version on the request line' };
  const target = urlDecode(buf.subarray(METHOD.length, markAt));
  if (target === undefined) return { status: 'invalid', reason: 'request is not valid UTF-8 after URL decoding' };

  const lineEnd = buf.indexOf('\r\n', markAt);
  const headers = buf.toString('latin1', lineEnd + 2, endAt).split('\r\n');
  let programName = '';
  let programVersion = '';
  for (const h of headers) {
    const colon = h.indexOf(':');
    if (colon < 0 || h.slice(0, colon).trim().toLowerCase() !== 'user-agent') continue;
    const ua = h.slice(colon + 1).trim();
    const slash = ua.indexOf('/');
    programName = slash < 0 ? ua : ua.slice(0, slash);
    programVersion = slash < 0 ? '' : ua.slice(slash + 1);
  }

  const r: StreamRequest = {
    key: '',
    hostname: '',
    registryHostname: '',
    machineGuid: '',
    updateEvery: undefined,
    os: 'unknown',
    timezone: 'unknown',
    abbrevTimezone: 'UTC',
    utcOffset: 0,
    hops: 1,
    mlCapable: false,
    mlEnabled: false,
    mcVersion: 0,
    tags: '',
    version: 0,
    systemInfo: {},
    unknown: [],
    programName,
    programVersion,
  };
  let sawVer = false;
  let sawProtocolVersion = false;
  for (const pair of target.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value === '') continue;
    switch (name) {
      case 'key': r.key = value; break;
      case 'hostname': r.hostname = value; break;
      case 'registry_hostname': r.registryHostname = value; break;
      case 'machine_guid': r.machineGuid = value; break;
      case 'update_every': r.updateEvery = parseCIntegerString(value); break;
      case 'os': r.os = value; break;
      case 'timezone': r.timezone = value; break;
      case 'abbrev_timezone': r.abbrevTimezone = value; break;
      case 'utc_offset': r.utcOffset = parseCIntegerString(value); break;
      case 'hops': r.hops = parseCIntegerString(value); break;
      case 'ml_capable': r.mlCapable = parseCIntegerString(value) !== 0; break;
      case 'ml_enabled': r.mlEnabled = parseCIntegerString(value) !== 0; break;
      case 'mc_version': r.mcVersion = parseCIntegerString(value); break;
      case 'tags': r.tags = value; break;
      case 'ver': r.version = parseCIntegerString(value); sawVer = true; break;
      default:
        if (name.startsWith('NETDATA_')) {
          if (name === 'NETDATA_PROTOCOL_VERSION') sawProtocolVersion = true;
          const os = /^NETDATA_SYSTEM_OS_(.+)$/.exec(name);
          r.systemInfo[os && RENAMED_OS.has(os[1]) ? `NETDATA_HOST_OS_${os[1]}` : name] = value;
        } else r.unknown.push(name);
    }
  }
  if (!sawVer) r.version = sawProtocolVersion ? 1 : 0;
  if (!r.registryHostname) r.registryHostname = r.hostname;
  return { status: 'ok', request: r, consumed };
}

/** libuuid's uuid_parse acceptance: 8-4-4-4-12 hex. */
export function isGuid(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

/** The request a sender writes (one write), values URL-encoded where they could break the request line. */
export function formatStreamRequest(params: [string, string | number][], userAgent = 'netdata/v1.37.1'): string {
  const q = params.map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%20/g, '+')}`).join('&');
  return `STREAM ${q} HTTP/1.1\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\n\r\n`;
}
