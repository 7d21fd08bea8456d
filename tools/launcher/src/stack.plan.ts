import { join } from 'node:path';
import { AppSpec } from './app.supervisor';

export interface StackPorts {
  publicPort: number;
  webApi: number;
  grpc: { metricStore: number; streamIngest: number; healthEngine: number; exporter: number };
  health: { metricStore: number; streamIngest: number; healthEngine: number; exporter: number };
}

function envPort(name: string, fallback: number): number {
  const v = process.env[name];
  return v ? Number(v) : fallback;
}

/** Internal ports: the defaults of DEVELOPERS.md, each overridable so two stacks can share a machine (tests). */
export function stackPorts(publicPort: number): StackPorts {
  return {
    publicPort,
    webApi: envPort('TRIBUTARY_WEB_API_PORT', 19080),
    grpc: {
      metricStore: envPort('TRIBUTARY_METRIC_STORE_GRPC_PORT', 50051),
      streamIngest: envPort('TRIBUTARY_STREAM_INGEST_GRPC_PORT', 50052),
      healthEngine: envPort('TRIBUTARY_HEALTH_ENGINE_GRPC_PORT', 50053),
      exporter: envPort('TRIBUTARY_EXPORTER_GRPC_PORT', 50054),
    },
    health: {
      metricStore: envPort('TRIBUTARY_METRIC_STORE_HEALTH_PORT', 50061),
      streamIngest: envPort('TRIBUTARY_STREAM_INGEST_HEALTH_PORT', 50062),
      healthEngine: envPort('TRIBUTARY_HEALTH_ENGINE_HEALTH_PORT', 50063),
      exporter: envPort('TRIBUTARY_EXPORTER_HEALTH_PORT', 50064),
    },
  };
}

/** The five apps in start order (stop order is the reverse), wired to each other on loopback. */
export function stackApps(distRoot: string, ports: StackPorts, shared: Record<string, string>): AppSpec[] {
  const entry = (app: string) => join(distRoot, 'apps', app, 'apps', app, 'src', 'main.js');
  const addr = (port: number) => `127.0.0.1:${port}`;
  const common = {
    ...shared,
    METRIC_STORE_ADDR: addr(ports.grpc.metricStore),
    STREAM_INGEST_ADDR: addr(ports.grpc.streamIngest),
    HEALTH_ENGINE_ADDR: addr(ports.grpc.healthEngine),
    EXPORTER_ADDR: addr(ports.grpc.exporter),
    WEB_API_URL: `http://${addr(ports.webApi)}`,
  };
  return [
    {
      name: 'metric-store',
      entry: entry('metric-store'),
      env: { ...common, GRPC_LISTEN: addr(ports.grpc.metricStore), HEALTH_PORT: String(ports.health.metricStore) },
      readyUrl: `http://${addr(ports.health.metricStore)}/readyz`,
    },
    {
      name: 'web-api',
      entry: entry('web-api'),
      env: { ...common, WEB_API_LISTEN: addr(ports.webApi) },
      readyUrl: `http://${addr(ports.webApi)}/readyz`,
    },
    {
      name: 'health-engine',
      entry: entry('health-engine'),
      env: { ...common, GRPC_LISTEN: addr(ports.grpc.healthEngine), HEALTH_PORT: String(ports.health.healthEngine) },
      readyUrl: `http://${addr(ports.health.healthEngine)}/readyz`,
    },
    {
      name: 'exporter',
      entry: entry('exporter'),
      env: { ...common, GRPC_LISTEN: addr(ports.grpc.exporter), HEALTH_PORT: String(ports.health.exporter) },
      readyUrl: `http://${addr(ports.health.exporter)}/readyz`,
    },
    {
      name: 'stream-ingest',
      entry: entry('stream-ingest'),
      env: {
        ...common,
        TRIBUTARY_PORT: String(ports.publicPort),
        GRPC_LISTEN: addr(ports.grpc.streamIngest),
        HEALTH_PORT: String(ports.health.streamIngest),
      },
      readyUrl: `http://${addr(ports.health.streamIngest)}/readyz`,
    },
  ];
}
