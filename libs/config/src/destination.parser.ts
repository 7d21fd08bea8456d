// Address lists of Netdata's config files: [stream] destination, exporting destination, [web] bind to.

export interface HostPort {
  readonly protocol: 'tcp' | 'udp';
  readonly host: string;
  readonly port: number;
}

export interface StreamDestination extends HostPort {
  readonly ssl: boolean;
  /** The entry as written, which is what Netdata logs. */
  readonly text: string;
}

export interface BindToEntry {
  readonly protocol: 'tcp' | 'udp' | 'unix';
  /** `*` means every interface; a path for unix sockets. */
  readonly host: string;
  readonly port: number;
  /** Empty means every kind of request (Netdata's default ACL). */
  readonly acl: readonly string[];
  readonly ssl: 'none' | 'force' | 'optional';
  readonly text: string;
}

/** connect_to_one_of(): entries separated by whitespace or commas. */
export function splitAddressList(text: string): string[] {
  return text.split(/[\s,]+/).filter((e) => e !== '');
}

function parsePort(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `[tcp:|udp:]host[:port]`, IPv6 as `[addr]:port`; returns a reason string on failure. */
function parseHostPort(entry: string, defaultPort: number | undefined): HostPort | string {
  let rest = entry;
  let protocol: 'tcp' | 'udp' = 'tcp';
  if (rest.startsWith('tcp:')) rest = rest.slice(4);
  else if (rest.startsWith('udp:')) {
    protocol = 'udp';
    rest = rest.slice(4);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return `has an unterminated IPv6 address in '${entry}'`;
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return `has garbage after the IPv6 address in '${entry}'`;
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  if (host === '') return `has no host in '${entry}'`;
  if (portText === undefined || portText === '') {
    if (defaultPort === undefined) return `has no port in '${entry}' (this connector has no default port)`;
    return { protocol, host, port: defaultPort };
  }
  const port = parsePort(portText);
  if (port === undefined) return `has an invalid port '${portText}' in '${entry}'`;
  return { protocol, host, port };
}

/** `[stream] destination`: `[PROTOCOL:]HOST[:PORT][:SSL]` entries, tried in order by the sender. */
export function parseStreamDestinations(text: string, defaultPort: number): StreamDestination[] | string {
  const out: StreamDestination[] = [];
  for (const entry of splitAddressList(text)) {
    const ssl = entry.endsWith(':SSL');
    const hp = parseHostPort(ssl ? entry.slice(0, -4) : entry, defaultPort);
    if (typeof hp === 'string') return hp;
    out.push({ ...hp, ssl, text: entry });
  }
  return out;
}

/** exporting.conf `destination`: text after a `/` in an entry is ignored, as Netdata does. */
export function parseExportingDestinations(text: string, defaultPort: number | undefined): HostPort[] | string {
  const out: HostPort[] = [];
  for (const raw of splitAddressList(text)) {
    const slash = raw.indexOf('/');
    const entry = slash < 0 ? raw : raw.slice(0, slash);
    if (entry === '') continue;
    const hp = parseHostPort(entry, defaultPort);
    if (typeof hp === 'string') return hp;
    out.push(hp);
  }
  return out;
}

/**
 * `[web] bind to`: `[unix:]PATH` or `[tcp:|udp:]HOST[:PORT][=ACL|ACL...[^SSL=force|optional]]`. The `^SSL=` suffix is
 * only recognised inside the ACL part; `HOST:PORT^SSL=force` makes the port `PORT^SSL`, which Netdata cannot bind.
 */
export function parseBindTo(text: string, defaultPort: number): BindToEntry[] | string {
  const out: BindToEntry[] = [];
  for (const entry of splitAddressList(text)) {
    if (entry.startsWith('unix:')) {
      out.push({ protocol: 'unix', host: entry.slice(5), port: 0, acl: [], ssl: 'none', text: entry });
      continue;
    }
    const eq = entry.indexOf('=');
    const address = eq < 0 ? entry : entry.slice(0, eq);
    let aclText = eq < 0 ? '' : entry.slice(eq + 1);
    let ssl: BindToEntry['ssl'] = 'none';
    const caret = aclText.indexOf('^SSL=');
    if (caret >= 0) {
      const mode = aclText.slice(caret + 5);
      if (mode !== 'force' && mode !== 'optional') return `has an invalid SSL mode '${mode}' in '${entry}' (not force or optional)`;
      ssl = mode;
      aclText = aclText.slice(0, caret);
    }
    const hp = parseHostPort(address, defaultPort);
    if (typeof hp === 'string') return hp;
    out.push({ ...hp, acl: aclText.split('|').filter((a) => a !== ''), ssl, text: entry });
  }
  return out;
}
