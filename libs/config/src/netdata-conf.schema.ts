import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { ConfigIssues } from './config-error';
import { BindToEntry, parseBindTo } from './destination.parser';
import { IniDocument } from './ini.parser';
import { MEMORY_MODES, MemoryMode } from './netdata-values';
import { OptionReader, PatternOption } from './option.reader';

/** netdata.conf, the parts a streaming parent uses. Defaults are Netdata 1.37's code defaults. */
export interface NetdataConf {
  readonly global: {
    /** Default: the machine's hostname. */
    readonly hostname: string;
  };
  readonly db: {
    /** `[db] mode`, or the older `[global] memory mode` (default dbengine). */
    readonly mode: MemoryMode;
    /** `[db] retention`, or the older `[global] history` (default 3600). */
    readonly retention: number;
    /** `[db] update every`, or `[global] update every` (default 1). */
    readonly updateEvery: number;
    readonly enableReplication: boolean;
    readonly secondsToReplicate: number;
    readonly secondsPerReplicationStep: number;
    readonly cleanupOrphanHostsAfterSecs: number;
  };
  readonly web: {
    readonly mode: 'none' | 'static-threaded';
    readonly defaultPort: number;
    readonly bindTo: readonly BindToEntry[];
    readonly sslKey: string;
    readonly sslCertificate: string;
    readonly acceptAStreamingRequestEverySeconds: number;
    /** Checked before stream.conf; an empty value allows everyone. */
    readonly allowStreamingFrom: PatternOption;
  };
  readonly health: {
    readonly enabled: boolean;
  };
  /** `[host labels]`, sent by exporting connectors with `send configured labels`. */
  readonly hostLabels: Readonly<Record<string, string>>;
}

// Real Netdata 1.37 options Tributary has no use for: accepted silently so a copied netdata.conf does not flood the log.
const IGNORED: Record<string, readonly string[]> = {
  global: [
    'run as user', 'process scheduling policy', 'OOM score', 'glibc malloc arena max for plugins',
    'glibc malloc arena max for netdata', 'libuv worker threads', 'host access prefix', 'enable metric correlations',
    'metric correlations method', 'timezone', 'pthread stack size', 'page cache size', 'dbengine disk space',
    'dbengine multihost disk space', 'memory deduplication (ksm)', 'cleanup obsolete charts after seconds',
    'gap when lost iterations above', 'cleanup orphan hosts after seconds', 'delete obsolete charts files',
    'delete orphan hosts files', 'enable zero metrics', 'debug flags', 'debug log', 'error log', 'access log',
    'errors flood protection period', 'errors to trigger flood protection', 'config directory', 'web files owner',
    'web files group', 'bind socket to IP', 'port',
  ],
  db: [
    'storage tiers', 'dbengine multihost disk space MB', 'dbengine page cache size MB', 'dbengine page cache with malloc',
    'dbengine disk space MB', 'memory deduplication (ksm)', 'cleanup obsolete charts after secs',
    'gap when lost iterations above', 'dbengine page fetch timeout secs', 'dbengine page fetch retries',
    'dbengine page descriptors in file mapped memory', 'delete obsolete charts files', 'delete orphan hosts files',
    'enable zero metrics', 'replication threads', 'dbengine pages per extent',
  ],
  web: [
    'allow connections from', 'allow dashboard from', 'allow netdata.conf from', 'tls version', 'tls ciphers',
    'ses max window', 'des max window', 'listen backlog', 'disconnect idle clients after seconds',
    'timeout for first request', 'respect do not track policy', 'x-frame-options response header',
    'allow connections by dns', 'allow dashboard by dns', 'allow badges from', 'allow badges by dns',
    'allow streaming by dns', 'allow netdata.conf by dns', 'allow management from', 'allow management by dns',
    'enable gzip compression', 'gzip compression strategy', 'gzip compression level', 'web server threads',
    'web server max sockets',
  ],
  health: [
    'silencers file', 'default repeat warning', 'default repeat critical', 'in memory max health log entries',
    'script to execute on alarm', 'enable stock health configuration', 'is ephemeral', 'has unstable connection',
    'rotate log every lines', 'run at least every seconds', 'postpone alarms during hibernation for seconds',
  ],
};

export function readNetdataConf(doc: IniDocument, configDir: string, issues: ConfigIssues): NetdataConf {
  const g = new OptionReader(doc, ['global'], issues);
  const db = new OptionReader(doc, ['db'], issues);
  const web = new OptionReader(doc, ['web'], issues);
  const health = new OptionReader(doc, ['health'], issues);

  // Netdata moves the pre-1.33 [global] names to [db] only when the [db] name is not set.
  const mode = db.optionalOneOf('mode', MEMORY_MODES) ?? g.oneOf('memory mode', MEMORY_MODES, 'dbengine');
  const retention = db.optionalInteger('retention', 5) ?? g.integer('history', 3600, 5);
  const updateEvery = db.optionalInteger('update every', 1, 86400) ?? g.integer('update every', 1, 1, 86400);

  const defaultPort = web.integer('default port', 19999, 1, 65535);
  const bindToOpt = web.parsed('bind to', (v) => {
    const r = parseBindTo(v, defaultPort);
    return typeof r === 'string' ? undefined : r;
  }, 'a valid list of [PROTOCOL:]IP[:PORT][=ACL...][^SSL=force|optional]');
  const bindTo = bindToOpt?.value ?? (parseBindTo('*', defaultPort) as BindToEntry[]);

  const conf: NetdataConf = {
    global: { hostname: g.string('hostname', osHostname()) },
    db: {
      mode,
      retention,
      updateEvery,
      enableReplication: db.boolean('enable replication', true),
      secondsToReplicate: db.integer('seconds to replicate', 86400, 0),
      secondsPerReplicationStep: db.integer('seconds per replication step', 600, 1),
      cleanupOrphanHostsAfterSecs: db.integer('cleanup orphan hosts after secs', 3600, 0),
    },
    web: {
      mode: web.oneOf('mode', ['none', 'static-threaded'] as const, 'static-threaded'),
      defaultPort,
      bindTo,
      sslKey: web.string('ssl key', join(configDir, 'ssl', 'key.pem')),
      sslCertificate: web.string('ssl certificate', join(configDir, 'ssl', 'cert.pem')),
      acceptAStreamingRequestEverySeconds: web.integer('accept a streaming request every seconds', 0, 0),
      allowStreamingFrom: web.pattern('allow streaming from', '*', true),
    },
    health: { enabled: health.boolean('enabled', true) },
    hostLabels: readHostLabels(doc),
  };

  g.warnUnknown((n) => IGNORED['global'].includes(n));
  db.warnUnknown((n) => IGNORED['db'].includes(n));
  web.warnUnknown((n) => IGNORED['web'].includes(n));
  health.warnUnknown((n) => IGNORED['health'].includes(n));
  return conf;
}

function readHostLabels(doc: IniDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of doc.sections.get('host labels')?.options.values() ?? []) out[o.name] = o.value;
  return out;
}
