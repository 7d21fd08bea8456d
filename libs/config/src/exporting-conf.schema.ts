import { ConfigIssues, ConfigLocation } from './config-error';
import { HostPort, parseExportingDestinations } from './destination.parser';
import { IniDocument } from './ini.parser';
import { OptionReader, PatternOption } from './option.reader';

export type ExportingConnectorKind = 'graphite' | 'opentsdb' | 'json' | 'prometheus_remote_write';
export type ExportingDataSource = 'as-collected' | 'average' | 'sum';

/** The options every connector instance resolves (instance -> [exporting:global] -> default), Netdata's defaults. */
export interface ExportingOptions {
  readonly enabled: boolean;
  readonly destinationText: string;
  readonly username: string;
  readonly password: string;
  readonly dataSource: ExportingDataSource;
  readonly hostname: string;
  readonly prefix: string;
  readonly updateEvery: number;
  /** Ring size in batches; Netdata raises values below 1 to 1. */
  readonly bufferOnFailures: number;
  /** Code default 10000 (the docs and sample conf say 20000). */
  readonly timeoutMs: number;
  readonly sendNamesInsteadOfIds: boolean;
  readonly sendChartsMatching: PatternOption;
  readonly sendHostsMatching: PatternOption;
  readonly sendConfiguredLabels: boolean;
  readonly sendAutomaticLabels: boolean;
  /** Code default yes (the sample conf shows no); remote write only. */
  readonly sendVariables: boolean;
  readonly remoteWriteUrlPath: string;
}

export interface ExportingInstance extends ExportingOptions, ConfigLocation {
  /** Text after the last `:` of the section name (`instance_N` when empty). */
  readonly name: string;
  readonly section: string;
  readonly kind: ExportingConnectorKind;
  /** `tcp` for graphite/opentsdb telnet/json lines; `http` for `:http`, `:https` and remote write. */
  readonly transport: 'tcp' | 'http';
  readonly tls: boolean;
  /** Tried in order on every (re)connect. */
  readonly destination: readonly HostPort[];
}

export interface PrometheusExporterConf {
  readonly dataSource: ExportingDataSource;
  readonly sendNamesInsteadOfIds: boolean;
  readonly sendConfiguredLabels: boolean;
  readonly sendAutomaticLabels: boolean;
  readonly sendChartsMatching: PatternOption;
  readonly sendHostsMatching: PatternOption;
  readonly prefix: string;
  readonly netdataLabelPrefix: string;
  readonly updateEvery: number;
}

export interface ExportingConf {
  readonly global: ExportingOptions;
  readonly prometheusExporter: PrometheusExporterConf;
  /** Every connector section, enabled or not, in file order. */
  readonly instances: readonly ExportingInstance[];
}

interface TypeInfo {
  readonly kind: ExportingConnectorKind;
  readonly transport: 'tcp' | 'http';
  readonly tls: boolean;
  readonly defaultPort: number | undefined;
}

const TYPES: Record<string, TypeInfo> = {
  graphite: { kind: 'graphite', transport: 'tcp', tls: false, defaultPort: 2003 },
  'graphite:plaintext': { kind: 'graphite', transport: 'tcp', tls: false, defaultPort: 2003 },
  'graphite:http': { kind: 'graphite', transport: 'http', tls: false, defaultPort: 2003 },
  'graphite:https': { kind: 'graphite', transport: 'http', tls: true, defaultPort: 2003 },
  json: { kind: 'json', transport: 'tcp', tls: false, defaultPort: 5448 },
  'json:plaintext': { kind: 'json', transport: 'tcp', tls: false, defaultPort: 5448 },
  'json:http': { kind: 'json', transport: 'http', tls: false, defaultPort: 5448 },
  'json:https': { kind: 'json', transport: 'http', tls: true, defaultPort: 5448 },
  opentsdb: { kind: 'opentsdb', transport: 'tcp', tls: false, defaultPort: 4242 },
  'opentsdb:telnet': { kind: 'opentsdb', transport: 'tcp', tls: false, defaultPort: 4242 },
  'opentsdb:http': { kind: 'opentsdb', transport: 'http', tls: false, defaultPort: 4242 },
  'opentsdb:https': { kind: 'opentsdb', transport: 'http', tls: true, defaultPort: 4242 },
  // Netdata has no working default port for remote write (it reads garbage), so Tributary demands one.
  prometheus_remote_write: { kind: 'prometheus_remote_write', transport: 'http', tls: false, defaultPort: undefined },
  'prometheus_remote_write:http': { kind: 'prometheus_remote_write', transport: 'http', tls: false, defaultPort: undefined },
  'prometheus_remote_write:https': { kind: 'prometheus_remote_write', transport: 'http', tls: true, defaultPort: undefined },
};

/** Netdata connector types Tributary does not implement: accepted and ignored with a warning. */
const UNSUPPORTED_TYPES = ['kinesis', 'pubsub', 'mongodb', 'kinesis:plaintext', 'pubsub:plaintext', 'mongodb:plaintext'];

const DATA_SOURCES: Record<string, ExportingDataSource> = {
  'as collected': 'as-collected',
  'as-collected': 'as-collected',
  as_collected: 'as-collected',
  ascollected: 'as-collected',
  raw: 'as-collected',
  average: 'average',
  sum: 'sum',
  volume: 'sum',
};

const GLOBAL = 'exporting:global';
const PROMETHEUS = 'prometheus:exporter';

const INSTANCE_ONLY_KNOWN = ['stream name', 'aws_access_key_id', 'aws_secret_access_key', 'credentials file', 'project id', 'topic id', 'database', 'collection'];

function readOptions(r: OptionReader, netdataHostname: string, fallbackHostname: string): ExportingOptions {
  return {
    enabled: r.boolean('enabled', false),
    destinationText: r.string('destination', 'localhost'),
    username: r.string('username', ''),
    password: r.string('password', ''),
    dataSource: dataSource(r, 'average'),
    hostname: r.string('hostname', fallbackHostname || netdataHostname),
    prefix: r.string('prefix', 'netdata'),
    updateEvery: r.integer('update every', 10, 1),
    bufferOnFailures: Math.max(1, r.integer('buffer on failures', 10)),
    timeoutMs: r.integer('timeout ms', 10000, 1),
    sendNamesInsteadOfIds: r.boolean('send names instead of ids', true),
    sendChartsMatching: r.pattern('send charts matching', '*'),
    sendHostsMatching: r.pattern('send hosts matching', 'localhost *'),
    sendConfiguredLabels: r.boolean('send configured labels', true),
    sendAutomaticLabels: r.boolean('send automatic labels', false),
    sendVariables: r.boolean('send variables', true),
    remoteWriteUrlPath: r.string('remote write URL path', '/receive'),
  };
}

function dataSource(r: OptionReader, fallback: ExportingDataSource): ExportingDataSource {
  return r.oneOf('data source', [] as ExportingDataSource[], fallback, DATA_SOURCES);
}

export function readExportingConf(doc: IniDocument, netdataHostname: string, issues: ConfigIssues): ExportingConf {
  const g = new OptionReader(doc, [GLOBAL], issues);
  const global = readOptions(g, netdataHostname, '');
  g.warnUnknown();

  const p = new OptionReader(doc, [PROMETHEUS, GLOBAL], issues);
  const prometheusExporter: PrometheusExporterConf = {
    dataSource: dataSource(p, 'average'),
    sendNamesInsteadOfIds: p.boolean('send names instead of ids', true),
    sendConfiguredLabels: p.boolean('send configured labels', true),
    sendAutomaticLabels: p.boolean('send automatic labels', false),
    sendChartsMatching: p.pattern('send charts matching', '*'),
    sendHostsMatching: p.pattern('send hosts matching', 'localhost *'),
    prefix: p.string('prefix', 'netdata'),
    netdataLabelPrefix: p.string('netdata label prefix', ''),
    updateEvery: p.integer('update every', 10, 1),
  };
  p.warnUnknown();

  const instances: ExportingInstance[] = [];
  const names = new Set<string>();
  let unnamed = 0;
  for (const section of doc.sections.values()) {
    if (section.name === GLOBAL || section.name === PROMETHEUS) continue;
    const colon = section.name.lastIndexOf(':');
    const type = colon < 0 ? section.name : section.name.slice(0, colon);
    let name = colon < 0 ? '' : section.name.slice(colon + 1);
    if (UNSUPPORTED_TYPES.includes(type)) {
      issues.warn(section, `connector type '${type}' of [${section.name}] is not supported by Tributary, ignored`);
      continue;
    }
    const info = colon < 0 ? undefined : TYPES[type];
    if (!info) {
      issues.error(section, `section [${section.name}] has an unknown connector type '${type}' (not one of ${Object.keys(TYPES).join(', ')})`);
      continue;
    }
    if (name === '') name = `instance_${unnamed++}`;
    if (names.has(name)) {
      issues.error(section, `section [${section.name}]: connector instance name '${name}' is used twice`);
      continue;
    }
    names.add(name);

    const r = new OptionReader(doc, [section.name, GLOBAL], issues);
    const options = readOptions(r, netdataHostname, global.hostname);
    const destOpt = r.find('destination');
    const parsed = parseExportingDestinations(options.destinationText, info.defaultPort);
    let destination: HostPort[] = [];
    if (typeof parsed === 'string') {
      const text = `option 'destination' = '${options.destinationText}' ${parsed}`;
      // A disabled instance never connects, so its address only deserves a warning.
      if (options.enabled) r.error(destOpt ?? section, text);
      else issues.warn(destOpt ?? section, `${text} (instance disabled)`);
    } else destination = parsed;
    r.warnUnknown((n) => INSTANCE_ONLY_KNOWN.includes(n));
    instances.push({
      ...options,
      name,
      section: section.name,
      file: section.file,
      line: section.line,
      kind: info.kind,
      transport: info.transport,
      tls: info.tls,
      destination,
    });
  }
  return { global, prometheusExporter, instances };
}
