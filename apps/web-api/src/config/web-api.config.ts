import { join } from 'node:path';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface WebApiConfig {
  listen: ListenAddress;
  metricStoreAddr: string;
  streamIngestAddr: string;
  healthEngineAddr: string;
  exporterAddr: string;
  configDir: string;
  dataDir: string;
  /** Deadline of every gRPC call; a peer slower than this is reported as unreachable. */
  rpcTimeoutMs: number;
}

export class ConfigError extends Error {}

export function parseListen(value: string, what: string): ListenAddress {
  // "host:port", "[v6]:port" or a bare port.
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
  if (!m) throw new ConfigError(`${what}: expected HOST:PORT, got '${value}'`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${what}: bad port in '${value}'`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${what}: expected a positive integer, got '${value}'`);
  return n;
}

/** Reads the environment once at boot; everything else receives the result. */
export function loadWebApiConfig(env: NodeJS.ProcessEnv = process.env): WebApiConfig {
  const dataDir = env['TRIBUTARY_DATA_DIR'] || './data';
  return {
    listen: parseListen(env['WEB_API_LISTEN'] || '127.0.0.1:19080', 'WEB_API_LISTEN'),
    metricStoreAddr: env['METRIC_STORE_ADDR'] || '127.0.0.1:50051',
    streamIngestAddr: env['STREAM_INGEST_ADDR'] || '127.0.0.1:50052',
    healthEngineAddr: env['HEALTH_ENGINE_ADDR'] || '127.0.0.1:50053',
    exporterAddr: env['EXPORTER_ADDR'] || '127.0.0.1:50054',
    configDir: env['TRIBUTARY_CONFIG_DIR'] || './config',
    dataDir,
    rpcTimeoutMs: positiveInt(env['WEB_API_RPC_TIMEOUT_MS'] || '5000', 'WEB_API_RPC_TIMEOUT_MS'),
  };
}

export function parentGuidFile(config: WebApiConfig): string {
  return join(config.dataDir, 'parent.guid');
}

export const WEB_API_CONFIG = Symbol('WEB_API_CONFIG');
