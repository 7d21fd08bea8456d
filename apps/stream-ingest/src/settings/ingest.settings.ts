import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadTributaryConfig, resolveStreamSettings, StreamSettings, TributaryConfig } from '@tributary/config';
import { SimplePattern } from '@tributary/simple-patterns';

export type SslMode = 'none' | 'optional' | 'force';

/** Everything stream-ingest reads at boot: environment plus netdata.conf and stream.conf (through libs/config). */
export interface IngestSettings {
  config: TributaryConfig;
  listenHost: string;
  port: number;
  sslMode: SslMode;
  sslKeyFile: string;
  sslCertFile: string;
  acceptStreamEverySeconds: number;
  allowStreamingFrom: SimplePattern;
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
  /** the largest batch sent to metric-store */
  batchMaxBytes: number;
  /** how long one event-loop turn may spend parsing children's data before the rest waits for the next turn */
  readTurnMs: number;
  handshakeTimeoutMs: number;
  /**
   * A child that sends nothing for this long is disconnected as ungraceful: `[stream] timeout seconds` (600), what a
   * host that lost power or its network looks like, since its TCP connection is never closed.
   */
  idleTimeoutMs: number;
  resolve(apiKey: string, machineGuid: string): StreamSettings;
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
  const config = loadTributaryConfig(env['TRIBUTARY_CONFIG_DIR'] ?? './config');
  const web = config.netdata.web;
  // The first TCP listener of `bind to` that serves streaming (an empty ACL serves everything).
  const bind = web.bindTo.find((b) => b.protocol === 'tcp' && (b.acl.length === 0 || b.acl.includes('streaming')));
  const host = bind ? bind.host : '0.0.0.0';
  return {
    config,
    listenHost: host === '*' ? '0.0.0.0' : host,
    port: env['TRIBUTARY_PORT'] ? Number(env['TRIBUTARY_PORT']) : bind?.port ?? web.defaultPort,
    sslMode: bind?.ssl ?? 'none',
    sslKeyFile: web.sslKey,
    sslCertFile: web.sslCertificate,
    acceptStreamEverySeconds: web.acceptAStreamingRequestEverySeconds,
    allowStreamingFrom: web.allowStreamingFrom.pattern,
    parentGuid: machineGuid(env['TRIBUTARY_DATA_DIR'] ?? './data', env['TRIBUTARY_MACHINE_GUID']),
    grpcListen: env['GRPC_LISTEN'] ?? '0.0.0.0:50052',
    healthPort: Number(env['HEALTH_PORT'] ?? 50062),
    metricStoreAddr: env['METRIC_STORE_ADDR'] ?? '127.0.0.1:50051',
    webApiUrl: env['WEB_API_URL'] ?? 'http://127.0.0.1:19080',
    ingestId: env['INGEST_ID'] ?? `stream-ingest-${process.pid}`,
    defaultUpdateEvery: config.netdata.db.updateEvery,
    childBufferBytes: Number(env['INGEST_CHILD_BUFFER_BYTES'] ?? 1 << 20),
    batchIntervalMs: Number(env['INGEST_BATCH_MS'] ?? 250),
    batchRows: Number(env['INGEST_BATCH_ROWS'] ?? 50000),
    batchMaxBytes: Number(env['INGEST_BATCH_MAX_BYTES'] ?? 4 << 20),
    readTurnMs: Number(env['INGEST_READ_TURN_MS'] ?? 20),
    handshakeTimeoutMs: Number(env['INGEST_HANDSHAKE_TIMEOUT_MS'] ?? 10000),
    idleTimeoutMs: config.stream.stream.timeoutSeconds * 1000,
    resolve: (apiKey, guid) => resolveStreamSettings(config, { apiKey, machineGuid: guid }),
  };
}
