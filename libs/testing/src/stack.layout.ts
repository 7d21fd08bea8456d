import { startApp, type AppName, type RunningApp } from './app.runner';
import { freePort } from './free-port';

type GrpcApp = Exclude<AppName, 'web-api'>;
const GRPC_APPS: GrpcApp[] = ['metric-store', 'stream-ingest', 'health-engine', 'exporter'];
const ADDR_ENV: Record<GrpcApp, string> = {
  'metric-store': 'METRIC_STORE_ADDR',
  'stream-ingest': 'STREAM_INGEST_ADDR',
  'health-engine': 'HEALTH_ENGINE_ADDR',
  exporter: 'EXPORTER_ADDR',
};

/** Ports and environment of a whole Tributary stack on loopback, one process per app as deployed. */
export interface StackLayout {
  /** stream-ingest's public port: children stream here, HTTP goes through to web-api */
  readonly publicPort: number;
  readonly webPort: number;
  readonly grpcPort: Record<GrpcApp, number>;
  readonly healthPort: Record<GrpcApp, number>;
  /** what every app gets: config and data dirs, the database, every peer's address */
  readonly common: Record<string, string>;
  env(app: AppName): Record<string, string>;
  /** Starts one app with its environment and waits for its /readyz (`ready: false`: does not wait). */
  start(app: AppName, opts?: { ready?: boolean }): Promise<RunningApp>;
}

/**
 * `absent` apps are not part of the stack: their peers get an address nobody listens on, so they answer 503 / retry
 * instead of reaching an unrelated process.
 */
export async function stackLayout(
  dirs: { configDir: string; dataDir: string },
  databaseUrl: string,
  absent: AppName[] = [],
): Promise<StackLayout> {
  const ports = await Promise.all(Array.from({ length: 10 }, () => freePort()));
  const [publicPort, webPort] = ports;
  const grpcPort = Object.fromEntries(GRPC_APPS.map((a, i) => [a, ports[2 + i]])) as Record<GrpcApp, number>;
  const healthPort = Object.fromEntries(GRPC_APPS.map((a, i) => [a, ports[6 + i]])) as Record<GrpcApp, number>;
  const common: Record<string, string> = {
    TRIBUTARY_CONFIG_DIR: dirs.configDir,
    TRIBUTARY_DATA_DIR: dirs.dataDir,
    DATABASE_URL: databaseUrl,
    WEB_API_URL: `http://127.0.0.1:${webPort}`,
    WEB_API_LISTEN: `127.0.0.1:${webPort}`,
    TRIBUTARY_PORT: String(publicPort),
  };
  for (const a of GRPC_APPS) common[ADDR_ENV[a]] = absent.includes(a) ? '127.0.0.1:1' : `127.0.0.1:${grpcPort[a]}`;
  const env = (app: AppName): Record<string, string> =>
    app === 'web-api' ? common : { ...common, GRPC_LISTEN: `127.0.0.1:${grpcPort[app]}`, HEALTH_PORT: String(healthPort[app]) };
  return {
    publicPort,
    webPort,
    grpcPort,
    healthPort,
    common,
    env,
    start(app, opts = {}) {
      const ready = opts.ready ?? true;
      const port = app === 'web-api' ? webPort : healthPort[app];
      return startApp(app, env(app), ready ? { healthPort: port } : {});
    },
  };
}
