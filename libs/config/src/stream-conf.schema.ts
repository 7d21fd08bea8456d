import { ConfigIssues, ConfigLocation } from './config-error';
import { parseStreamDestinations, StreamDestination } from './destination.parser';
import { IniDocument } from './ini.parser';
import { HealthEnabled, isGuid, MEMORY_MODES, MemoryMode, parseHealthEnabled } from './netdata-values';
import { OptionReader, PatternOption } from './option.reader';

/** `[stream]`: this node as a sender (a proxy when enabled). Defaults are Netdata 1.37's code defaults. */
export interface StreamSenderConf {
  readonly enabled: boolean;
  readonly destination: readonly StreamDestination[];
  readonly apiKey: string;
  /** Code default 600; the stock stream.conf sets 60. */
  readonly timeoutSeconds: number;
  readonly reconnectDelaySeconds: number;
  readonly bufferSizeBytes: number;
  /** Also the first operand of the parent's compression AND rule. */
  readonly enableCompression: boolean;
  readonly sslSkipCertificateVerification: boolean;
  readonly caPath: string;
  readonly caFile: string;
  readonly defaultPort: number;
  readonly sendChartsMatching: PatternOption;
  readonly initialClockResyncIterations: number;
}

/**
 * A `[GUID]` section: an API key section (`type = api`, the default for keys) or a machine section (`type = machine`).
 * Which options apply depends on how the GUID is used, so every option is kept as written (undefined = not set) and
 * the resolver applies the defaults.
 */
export interface StreamGuidSection extends ConfigLocation {
  readonly guid: string;
  readonly type?: string;
  readonly enabled?: boolean;
  readonly allowFrom?: PatternOption;
  readonly enableCompression?: boolean;
  readonly enableReplication?: boolean;
  readonly secondsToReplicate?: number;
  readonly secondsPerReplicationStep?: number;
  // key section names ("default ...")
  readonly defaultHistory?: number;
  readonly defaultMemoryMode?: MemoryMode;
  readonly healthEnabledByDefault?: HealthEnabled;
  readonly defaultPostponeAlarmsOnConnectSeconds?: number;
  readonly defaultProxyEnabled?: boolean;
  readonly defaultProxyDestination?: readonly StreamDestination[];
  readonly defaultProxyApiKey?: string;
  readonly defaultProxySendChartsMatching?: PatternOption;
  // machine section names
  readonly updateEvery?: number;
  readonly history?: number;
  readonly memoryMode?: MemoryMode;
  readonly healthEnabled?: HealthEnabled;
  readonly postponeAlarmsOnConnectSeconds?: number;
  readonly proxyEnabled?: boolean;
  readonly proxyDestination?: readonly StreamDestination[];
  readonly proxyApiKey?: string;
  readonly proxySendChartsMatching?: PatternOption;
}

export interface StreamConf {
  readonly stream: StreamSenderConf;
  /** By section name exactly as written (Netdata looks sections up case-sensitively). */
  readonly sections: ReadonlyMap<string, StreamGuidSection>;
}

const HEALTH_EXPECTED = 'one of yes, no, auto, on demand, true, false, on, off';

export function readStreamConf(doc: IniDocument, issues: ConfigIssues): StreamConf {
  const r = new OptionReader(doc, ['stream'], issues);
  const defaultPort = r.integer('default port', 19999, 1, 65535);
  const stream: StreamSenderConf = {
    enabled: r.boolean('enabled', false),
    destination: destinations(r, 'destination', defaultPort) ?? [],
    apiKey: r.string('api key', ''),
    timeoutSeconds: r.integer('timeout seconds', 600, 1),
    reconnectDelaySeconds: r.integer('reconnect delay seconds', 5, 0),
    bufferSizeBytes: r.integer('buffer size bytes', 10485760, 1024),
    enableCompression: r.boolean('enable compression', true),
    sslSkipCertificateVerification: r.boolean('ssl skip certificate verification', false),
    caPath: r.string('CApath', ''),
    caFile: r.string('CAfile', ''),
    defaultPort,
    sendChartsMatching: r.pattern('send charts matching', '*'),
    initialClockResyncIterations: r.integer('initial clock resync iterations', 60, 0),
  };
  r.warnUnknown();

  const sections = new Map<string, StreamGuidSection>();
  for (const section of doc.sections.values()) {
    if (section.name === 'stream') continue;
    if (!isGuid(section.name)) {
      issues.warn(section, `section [${section.name}] is neither [stream] nor an API key or machine GUID, ignored`);
      continue;
    }
    sections.set(section.name, readGuidSection(doc, section.name, defaultPort, issues));
  }
  return { stream, sections };
}

function readGuidSection(doc: IniDocument, name: string, defaultPort: number, issues: ConfigIssues): StreamGuidSection {
  const r = new OptionReader(doc, [name], issues);
  const section = doc.sections.get(name);
  const type = r.optionalOneOf('type', ['api', 'machine'] as const);
  const health = (opt: string): HealthEnabled | undefined => r.parsed(opt, parseHealthEnabled, HEALTH_EXPECTED)?.value;
  const g: StreamGuidSection = {
    guid: name,
    file: section?.file ?? doc.file,
    line: section?.line ?? 0,
    type,
    enabled: r.optionalBoolean('enabled'),
    allowFrom: r.optionalPattern('allow from', true),
    enableCompression: r.optionalBoolean('enable compression'),
    enableReplication: r.optionalBoolean('enable replication'),
    secondsToReplicate: r.optionalInteger('seconds to replicate', 0),
    secondsPerReplicationStep: r.optionalInteger('seconds per replication step', 1),
    defaultHistory: r.optionalInteger('default history', 5),
    defaultMemoryMode: r.optionalOneOf('default memory mode', MEMORY_MODES),
    healthEnabledByDefault: health('health enabled by default'),
    defaultPostponeAlarmsOnConnectSeconds: r.optionalInteger('default postpone alarms on connect seconds', 0),
    defaultProxyEnabled: r.optionalBoolean('default proxy enabled'),
    defaultProxyDestination: destinations(r, 'default proxy destination', defaultPort),
    defaultProxyApiKey: r.optionalString('default proxy api key'),
    defaultProxySendChartsMatching: r.optionalPattern('default proxy send charts matching'),
    updateEvery: r.optionalInteger('update every', 1, 86400),
    history: r.optionalInteger('history', 5),
    memoryMode: r.optionalOneOf('memory mode', MEMORY_MODES),
    healthEnabled: health('health enabled'),
    postponeAlarmsOnConnectSeconds: r.optionalInteger('postpone alarms on connect seconds', 0),
    proxyEnabled: r.optionalBoolean('proxy enabled'),
    proxyDestination: destinations(r, 'proxy destination', defaultPort),
    proxyApiKey: r.optionalString('proxy api key'),
    proxySendChartsMatching: r.optionalPattern('proxy send charts matching'),
  };
  r.warnUnknown();
  return g;
}

function destinations(r: OptionReader, name: string, defaultPort: number): StreamDestination[] | undefined {
  const o = r.find(name);
  if (!o) return undefined;
  const parsed = parseStreamDestinations(o.value, defaultPort);
  if (typeof parsed === 'string') {
    r.error(o, `option '${o.name}' = '${o.value}' ${parsed}`);
    return undefined;
  }
  return parsed;
}
