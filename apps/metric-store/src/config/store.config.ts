import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readOrphanCleanupSecs } from './netdata-conf.reader';

/** Everything metric-store reads from its environment, parsed and validated once at boot. */
export interface StoreConfig {
  grpcListen: string;
  healthPort: number;
  databaseUrl: string | undefined;
  dataDir: string;
  journalDir: string;
  orphanCleanupSecs: number;
  pagePoints: number;
  pageMaxAgeS: number;
  heldMaxBytes: number;
  maintenanceIntervalMs: number;
  defaultHistorySecs: number;
  defaultMemoryMode: string;
  queryCacheBytes: number;
  /** pages listed in memory for queries (StoredPageIndex); 0 = always list from PostgreSQL */
  pageIndexMaxPages: number;
  /** live events queued on a subscriber (health-engine, exporter) before it is cut off as too slow */
  subscriberMaxQueuedBytes: number;
  /** writers wait while a subscriber's live queue passes a quarter of the bound; one that drains nothing this long is cut */
  subscriberStallMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}`);
  return n;
}

export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const dataDir = resolve(env['TRIBUTARY_DATA_DIR'] || './data');
  const configDir = resolve(env['TRIBUTARY_CONFIG_DIR'] || './config');
  let confOrphan: number | undefined;
  const netdataConf = join(configDir, 'netdata.conf');
  let text: string | undefined;
  try {
    text = readFileSync(netdataConf, 'utf8');
  } catch {
    text = undefined; // no netdata.conf: Netdata's defaults apply
  }
  if (text !== undefined) confOrphan = readOrphanCleanupSecs(text, netdataConf);
  const memoryMode = env['TRIBUTARY_DEFAULT_MEMORY_MODE'] || 'dbengine';
  if (!['none', 'ram', 'save', 'map', 'dbengine', 'alloc'].includes(memoryMode)) {
    throw new Error(`TRIBUTARY_DEFAULT_MEMORY_MODE=${memoryMode}: expected none|ram|save|map|dbengine`);
  }
  return {
    grpcListen: env['GRPC_LISTEN'] || '0.0.0.0:50051',
    healthPort: int(env, 'HEALTH_PORT', 50061, 0),
    databaseUrl: env['DATABASE_URL'] || undefined,
    dataDir,
    journalDir: join(dataDir, 'journal'),
    orphanCleanupSecs: int(env, 'TRIBUTARY_ORPHAN_CLEANUP_SECS', confOrphan ?? 3600, 0),
    pagePoints: int(env, 'TRIBUTARY_PAGE_POINTS', 1024, 2),
    pageMaxAgeS: int(env, 'TRIBUTARY_PAGE_MAX_AGE_S', 900, 1),
    heldMaxBytes: int(env, 'TRIBUTARY_HELD_MAX_MB', 512, 1) * 1024 * 1024,
    maintenanceIntervalMs: int(env, 'TRIBUTARY_MAINTENANCE_INTERVAL_MS', 5000, 50),
    defaultHistorySecs: int(env, 'TRIBUTARY_DEFAULT_HISTORY_SECS', 3996, 1),
    defaultMemoryMode: memoryMode,
    queryCacheBytes: int(env, 'TRIBUTARY_QUERY_CACHE_MB', 64, 0) * 1024 * 1024,
    pageIndexMaxPages: int(env, 'TRIBUTARY_PAGE_INDEX_MAX_PAGES', 2_000_000, 0),
    subscriberMaxQueuedBytes: int(env, 'TRIBUTARY_SUBSCRIBER_MAX_QUEUED_MB', 256, 1) * 1024 * 1024,
    subscriberStallMs: int(env, 'TRIBUTARY_SUBSCRIBER_STALL_MS', 10_000, 100),
  };
}
