// Environment read once at boot (see DEVELOPERS.md: ports and environment).
import { isAbsolute, join } from 'node:path';

export interface HealthEngineConfig {
  readonly grpcListen: string;
  readonly healthPort: number;
  readonly metricStoreAddr: string;
  readonly databaseUrl: string;
  readonly configDir: string;
  readonly dataDir: string;
  /** health.d directories, read in order; user files override stock files of the same name. */
  readonly healthDirs: readonly string[];
  readonly defaultExec: string;
  readonly webhookUrl: string;
  readonly webhookAttempts: number;
  readonly logHistory: number;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw}: not a non-negative integer`);
  return n;
}

export function readHealthEngineConfig(env: NodeJS.ProcessEnv, stockHealthDir: string): HealthEngineConfig {
  const cwd = process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : join(cwd, p));
  const configDir = abs(env.TRIBUTARY_CONFIG_DIR || './config');
  const stock = env.HEALTH_STOCK_ALARMS === 'no' ? [] : [stockHealthDir];
  return {
    grpcListen: env.GRPC_LISTEN || '0.0.0.0:50053',
    healthPort: int(env, 'HEALTH_PORT', 50063),
    metricStoreAddr: env.METRIC_STORE_ADDR || '127.0.0.1:50051',
    databaseUrl: env.DATABASE_URL || '',
    configDir,
    dataDir: abs(env.TRIBUTARY_DATA_DIR || './data'),
    healthDirs: [...stock, join(configDir, 'health.d')],
    defaultExec: env.HEALTH_EXEC || '',
    webhookUrl: env.HEALTH_WEBHOOK_URL || '',
    webhookAttempts: int(env, 'HEALTH_WEBHOOK_ATTEMPTS', 4),
    logHistory: int(env, 'HEALTH_LOG_HISTORY', 1000),
  };
}
