import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { iniBoolean, iniNumber, IniFile, readNetdataIni } from './netdata-ini.reader';

export type SslMode = 'none' | 'optional' | 'force';

/** What stream.conf resolves to for one (API key, machine GUID) pair: key section, then machine section. */
export interface ResolvedStreamAccess {
  keySection: boolean;
  keyType: string;
  keyEnabled: boolean;
  keyAllowFrom: string;
  machineType: string;
  machineEnabled: boolean;
  machineAllowFrom: string;
  compression: boolean;
  replication: boolean;
  secondsToReplicate: number;
  replicationStep: number;
  updateEvery: number | undefined;
  memoryMode: string;
  history: number;
  healthEnabled: string;
}

/** Everything stream-ingest reads at boot: environment plus netdata.conf and stream.conf. */
export interface IngestSettings {
  configDir: string;
  listenHost: string;
  port: number;
  sslMode: SslMode;
  sslKeyFile: string;
  sslCertFile: string;
  acceptStreamEverySeconds: number;
  allowStreamingFrom: string;
  streamCompression: boolean;
  parentGuid: string;
  grpcListen: string;
  healthPort: number;
  metricStoreAddr: string;
  webApiUrl: string;
  ingestId: string;
  defaultUpdateEvery: number;
  /** bytes held for metric-store per child before its socket is paused */
  childBufferBytes: number;
  batchIntervalMs: number;
  batchRows: number;
  handshakeTimeoutMs: number;
  resolve(apiKey: string, machineGuid: string): ResolvedStreamAccess;
}

function parseBindTo(bindTo: string | undefined, defaultPort: number): { host: string; port: number; ssl: SslMode } {
  if (!bindTo) return { host: '0.0.0.0', port: defaultPort, ssl: 'none' };
  const first = bindTo.trim().split(/\s+/)[0];
  const eq = first.indexOf('=');
  const addr = eq < 0 ? first : first.slice(0, eq);
  const acl = eq < 0 ? '' : first.slice(eq + 1);
  const ssl = /\^SSL=force/i.test(acl) ? 'force' : /\^SSL=optional/i.test(acl) ? 'optional' : 'none';
  const m = /^(?:tcp:)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(addr);
  const host = m ? m[1].replace(/^\[|\]$/g, '') : '0.0.0.0';
  return { host: host === '*' ? '0.0.0.0' : host, port: m && m[2] ? Number(m[2]) : defaultPort, ssl };
}

function machineGuid(dataDir: string, fixed: string | undefined): string {
  if (fixed) return fixed;
  const file = join(dataDir, 'machine-guid');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const guid = randomUUID();
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, guid + '\n');
  } catch {
    // A read-only data dir only costs the stable identity across restarts.
  }
  return guid;
}

export function loadIngestSettings(env: NodeJS.ProcessEnv = process.env): IngestSettings {
  const configDir = env['TRIBUTARY_CONFIG_DIR'] ?? './config';
  const netdata = readNetdataIni(join(configDir, 'netdata.conf'));
  const stream = readNetdataIni(join(configDir, 'stream.conf'));
  const web = netdata.get('web') ?? new Map<string, string>();
  const db = netdata.get('db') ?? new Map<string, string>();
  const global = netdata.get('global') ?? new Map<string, string>();
  const defaultPort = iniNumber(web.get('default port'), 19999);
  const bind = parseBindTo(web.get('bind to'), defaultPort);
  const port = env['TRIBUTARY_PORT'] ? Number(env['TRIBUTARY_PORT']) : bind.port;
  const replication = iniBoolean(db.get('enable replication'), true);
  const secondsToReplicate = iniNumber(db.get('seconds to replicate'), 86400);
  const replicationStep = iniNumber(db.get('seconds per replication step'), 600);
  const healthDefault = iniBoolean(netdata.get('health')?.get('enabled'), true) ? 'yes' : 'no';
  const memoryMode = global.get('memory mode') ?? db.get('mode') ?? 'dbengine';
  const history = iniNumber(global.get('history'), 3600);
  const streamCompression = iniBoolean(stream.get('stream')?.get('enable compression'), true);
  return {
    configDir,
    listenHost: bind.host,
    port,
    sslMode: bind.ssl,
    sslKeyFile: web.get('ssl key') ?? '',
    sslCertFile: web.get('ssl certificate') ?? '',
    acceptStreamEverySeconds: iniNumber(web.get('accept a streaming request every seconds'), 0),
    allowStreamingFrom: web.get('allow streaming from') ?? '*',
    streamCompression,
    parentGuid: machineGuid(env['TRIBUTARY_DATA_DIR'] ?? './data', env['TRIBUTARY_MACHINE_GUID']),
    handshakeTimeoutMs: Number(env['INGEST_HANDSHAKE_TIMEOUT_MS'] ?? 10000),
    grpcListen: env['GRPC_LISTEN'] ?? '0.0.0.0:50052',
    healthPort: Number(env['HEALTH_PORT'] ?? 50062),
    metricStoreAddr: env['METRIC_STORE_ADDR'] ?? '127.0.0.1:50051',
    webApiUrl: env['WEB_API_URL'] ?? 'http://127.0.0.1:19080',
    ingestId: env['INGEST_ID'] ?? `stream-ingest-${process.pid}`,
    defaultUpdateEvery: iniNumber(global.get('update every'), 1),
    childBufferBytes: Number(env['INGEST_CHILD_BUFFER_BYTES'] ?? 1 << 20),
    batchIntervalMs: Number(env['INGEST_BATCH_MS'] ?? 250),
    batchRows: Number(env['INGEST_BATCH_ROWS'] ?? 50000),
    resolve: (apiKey, guid) => resolveAccess(stream, apiKey, guid, {
      compression: streamCompression, replication, secondsToReplicate, replicationStep, memoryMode, history, healthDefault,
    }),
  };
}

interface Defaults {
  compression: boolean;
  replication: boolean;
  secondsToReplicate: number;
  replicationStep: number;
  memoryMode: string;
  history: number;
  healthDefault: string;
}

function resolveAccess(stream: IniFile, apiKey: string, guid: string, d: Defaults): ResolvedStreamAccess {
  const key = stream.get(apiKey);
  const machine = stream.get(guid);
  const k = (o: string) => key?.get(o);
  const m = (o: string) => machine?.get(o);
  const keyCompression = iniBoolean(k('enable compression'), true);
  const machineCompression = iniBoolean(m('enable compression'), keyCompression);
  const replication = iniBoolean(m('enable replication') ?? k('enable replication'), d.replication);
  const ue = m('update every');
  return {
    keySection: key !== undefined,
    keyType: k('type') ?? 'api',
    keyEnabled: iniBoolean(k('enabled'), false),
    keyAllowFrom: k('allow from') ?? '*',
    machineType: m('type') ?? 'machine',
    machineEnabled: iniBoolean(m('enabled'), true),
    machineAllowFrom: m('allow from') ?? '*',
    compression: d.compression && keyCompression && machineCompression,
    replication,
    secondsToReplicate: iniNumber(m('seconds to replicate') ?? k('seconds to replicate'), d.secondsToReplicate),
    replicationStep: iniNumber(m('seconds per replication step') ?? k('seconds per replication step'), d.replicationStep),
    updateEvery: ue !== undefined ? iniNumber(ue, 1) : undefined,
    memoryMode: m('memory mode') ?? k('default memory mode') ?? d.memoryMode,
    history: Math.max(5, iniNumber(m('history') ?? k('default history'), d.history)),
    healthEnabled: (m('health enabled') ?? k('health enabled by default') ?? d.healthDefault).toLowerCase(),
  };
}
