import { readFileSync, existsSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import type {
  ConnectorKind,
  ConnectorSettings,
  DataSource,
  Destination,
  ExportingSettings,
  PrometheusExporterSettings,
} from './exporting.settings';

/**
 * exporting.conf adapter: a Netdata-style INI reader with FILE:LINE errors. It stands in for
 * @tributary/config's exporting schema until that lands; only `loadExportingSettings` is used by the app.
 */

export class ExportingConfigError extends Error {}

interface Option {
  value: string;
  line: number;
  used: boolean;
}

type Sections = Map<string, Map<string, Option>>;

function parseIni(text: string): { sections: Sections; order: string[]; lines: Map<string, number> } {
  const sections: Sections = new Map();
  const order: string[] = [];
  const lines = new Map<string, number>();
  let current: Map<string, Option> | undefined;
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i].trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const end = line.indexOf(']');
      const name = (end > 0 ? line.slice(1, end) : line.slice(1)).trim();
      current = sections.get(name);
      if (!current) {
        current = new Map();
        sections.set(name, current);
        order.push(name);
        lines.set(name, i + 1);
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) continue;
    current.set(line.slice(0, eq).trim(), { value: line.slice(eq + 1).trim(), line: i + 1, used: false });
  }
  return { sections, order, lines };
}

const TYPES: Record<string, { kind: ConnectorKind; http: boolean; tls: boolean; port: number }> = {
  graphite: { kind: 'graphite', http: false, tls: false, port: 2003 },
  'graphite:plaintext': { kind: 'graphite', http: false, tls: false, port: 2003 },
  'graphite:http': { kind: 'graphite', http: true, tls: false, port: 2003 },
  'graphite:https': { kind: 'graphite', http: true, tls: true, port: 2003 },
  opentsdb: { kind: 'opentsdb', http: false, tls: false, port: 4242 },
  'opentsdb:telnet': { kind: 'opentsdb', http: false, tls: false, port: 4242 },
  'opentsdb:http': { kind: 'opentsdb', http: true, tls: false, port: 4242 },
  'opentsdb:https': { kind: 'opentsdb', http: true, tls: true, port: 4242 },
  json: { kind: 'json', http: false, tls: false, port: 5448 },
  'json:plaintext': { kind: 'json', http: false, tls: false, port: 5448 },
  'json:http': { kind: 'json', http: true, tls: false, port: 5448 },
  'json:https': { kind: 'json', http: true, tls: true, port: 5448 },
  prometheus_remote_write: { kind: 'remote_write', http: true, tls: false, port: 0 },
  'prometheus_remote_write:http': { kind: 'remote_write', http: true, tls: false, port: 0 },
  'prometheus_remote_write:https': { kind: 'remote_write', http: true, tls: true, port: 0 },
};
const UNSUPPORTED = new Set(['kinesis', 'pubsub', 'mongodb']);

const TRUE_WORDS = new Set(['yes', 'true', 'on', 'auto', 'on demand', '1']);
const FALSE_WORDS = new Set(['no', 'false', 'off', '0']);

export function parseDataSource(v: string): DataSource | undefined {
  switch (v.trim().toLowerCase()) {
    case 'as collected':
    case 'as-collected':
    case 'as_collected':
    case 'ascollected':
    case 'raw':
      return 'as-collected';
    case 'average':
      return 'average';
    case 'sum':
    case 'volume':
      return 'sum';
    default:
      return undefined;
  }
}

/** `[tcp:]host[:port]` entries, IPv6 as `[addr]:port`; text after '/' ignored. */
export function parseDestinations(text: string, defaultPort: number): Destination[] {
  const out: Destination[] = [];
  for (const raw of text.split(/\s+/)) {
    if (!raw) continue;
    let e = raw;
    const slash = e.indexOf('/');
    if (slash >= 0) e = e.slice(0, slash);
    if (e.startsWith('tcp:')) e = e.slice(4);
    else if (e.startsWith('udp:')) continue;
    let host: string;
    let port = defaultPort;
    if (e.startsWith('[')) {
      const end = e.indexOf(']');
      host = e.slice(1, end < 0 ? undefined : end);
      const rest = end < 0 ? '' : e.slice(end + 1);
      if (rest.startsWith(':')) port = Number(rest.slice(1));
    } else {
      const c = e.lastIndexOf(':');
      if (c >= 0 && e.indexOf(':') === c) {
        host = e.slice(0, c);
        port = Number(e.slice(c + 1));
      } else host = e;
    }
    if (!host) continue;
    out.push({ host, port: Number.isFinite(port) ? port : 0, text: raw });
  }
  return out;
}

export function loadExportingSettings(configDir: string): ExportingSettings {
  const file = join(configDir, 'exporting.conf');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return parseExportingConf(text, file);
}

export function parseExportingConf(text: string, file = 'exporting.conf'): ExportingSettings {
  const { sections, order, lines } = parseIni(text);
  const errors: string[] = [];
  const warnings: string[] = [];
  const global = sections.get('exporting:global') ?? new Map<string, Option>();

  const lookup = (sec: Map<string, Option> | undefined, name: string): Option | undefined => {
    const o = sec?.get(name) ?? global.get(name);
    if (o) o.used = true;
    return o;
  };
  const str = (sec: Map<string, Option> | undefined, name: string, def: string): string => lookup(sec, name)?.value ?? def;
  const bool = (sec: Map<string, Option> | undefined, name: string, def: boolean): boolean => {
    const o = lookup(sec, name);
    if (!o) return def;
    const v = o.value.toLowerCase();
    if (TRUE_WORDS.has(v)) return true;
    if (FALSE_WORDS.has(v)) return false;
    errors.push(`${file}:${o.line}: option '${name}' = '${o.value}' is not one of yes, no`);
    return def;
  };
  const num = (sec: Map<string, Option> | undefined, name: string, def: number, min: number): number => {
    const o = lookup(sec, name);
    if (!o) return def;
    const n = Number(o.value);
    if (!Number.isFinite(n) || o.value === '') {
      errors.push(`${file}:${o.line}: option '${name}' = '${o.value}' is not a number`);
      return def;
    }
    return Math.max(min, Math.trunc(n));
  };
  const source = (sec: Map<string, Option> | undefined, def: DataSource): DataSource => {
    const o = lookup(sec, 'data source');
    if (!o) return def;
    const ds = parseDataSource(o.value);
    if (!ds) {
      errors.push(`${file}:${o.line}: option 'data source' = '${o.value}' is not one of as collected, average, sum`);
      return def;
    }
    return ds;
  };

  const defaultHostname = str(undefined, 'hostname', osHostname());
  const connectors: ConnectorSettings[] = [];
  const names = new Set<string>();
  let unnamed = 0;
  for (const section of order) {
    if (section === 'exporting:global' || section === 'prometheus:exporter') continue;
    const colon = section.lastIndexOf(':');
    const type = colon < 0 ? section : section.slice(0, colon);
    let instanceName = colon < 0 ? '' : section.slice(colon + 1);
    const at = `${file}:${lines.get(section)}`;
    const t = TYPES[type];
    if (!t) {
      if (UNSUPPORTED.has(type.split(':')[0])) warnings.push(`${at}: connector type '${type}' is not supported, section [${section}] ignored`);
      else errors.push(`${at}: section [${section}] has an unknown connector type '${type}'`);
      continue;
    }
    if (!instanceName) instanceName = `instance_${unnamed++}`;
    if (names.has(instanceName)) {
      errors.push(`${at}: duplicate exporting instance name '${instanceName}'`);
      continue;
    }
    names.add(instanceName);
    const sec = sections.get(section);
    const destinationText = str(sec, 'destination', 'localhost');
    const destinations = parseDestinations(destinationText, t.port);
    const enabled = bool(sec, 'enabled', false);
    if (enabled && t.kind === 'remote_write' && destinations.some((d) => !d.port)) {
      errors.push(`${at}: option 'destination' = '${destinationText}' needs an explicit port for ${type}`);
    }
    connectors.push({
      section,
      type,
      kind: t.kind,
      http: t.http,
      tls: t.tls,
      instanceName,
      enabled,
      destinationText,
      destinations,
      username: str(sec, 'username', ''),
      password: str(sec, 'password', ''),
      dataSource: source(sec, 'average'),
      hostname: str(sec, 'hostname', defaultHostname),
      prefix: str(sec, 'prefix', 'netdata'),
      updateEvery: num(sec, 'update every', 10, 1),
      bufferOnFailures: num(sec, 'buffer on failures', 10, 1),
      timeoutMs: num(sec, 'timeout ms', 10000, 1),
      sendNames: bool(sec, 'send names instead of ids', true),
      sendChartsMatching: str(sec, 'send charts matching', '*'),
      sendHostsMatching: str(sec, 'send hosts matching', 'localhost *'),
      sendConfiguredLabels: bool(sec, 'send configured labels', true),
      sendAutomaticLabels: bool(sec, 'send automatic labels', false),
      sendVariables: bool(sec, 'send variables', true),
      remoteWritePath: str(sec, 'remote write URL path', '/receive'),
      tlsSkipVerify: bool(sec, 'ssl skip certificate verification', false),
    });
  }

  const p = sections.get('prometheus:exporter');
  const prometheus: PrometheusExporterSettings = {
    dataSource: source(p, 'average'),
    sendNames: bool(p, 'send names instead of ids', true),
    sendConfiguredLabels: bool(p, 'send configured labels', true),
    sendAutomaticLabels: bool(p, 'send automatic labels', false),
    sendChartsMatching: str(p, 'send charts matching', '*'),
    prefix: str(p, 'prefix', 'netdata'),
    labelPrefix: p?.get('netdata label prefix')?.value ?? '',
    updateEvery: num(p, 'update every', 10, 1),
  };
  // Parsed but not applied by Netdata's endpoint either: known, so not reported as unknown.
  for (const known of ['netdata label prefix', 'send hosts matching', 'enabled']) {
    const o = p?.get(known);
    if (o) o.used = true;
  }

  for (const [section, options] of sections) {
    for (const [name, o] of options) {
      if (!o.used && section !== 'exporting:global') warnings.push(`${file}:${o.line}: unknown option '${name}' in [${section}]`);
    }
  }
  if (errors.length) throw new ExportingConfigError(errors.join('\n'));
  return { connectors, prometheus, warnings };
}
