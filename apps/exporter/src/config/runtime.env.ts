// Environment read once at boot (DEVELOPERS.md: ports and environment).
export interface ExporterEnv {
  configDir: string;
  grpcListen: string;
  healthPort: number;
  metricStoreAddr: string;
}

export function readExporterEnv(env: NodeJS.ProcessEnv = process.env): ExporterEnv {
  const healthPort = Number(env.HEALTH_PORT ?? 50064);
  if (!Number.isInteger(healthPort) || healthPort < 0 || healthPort > 65535) {
    throw new Error(`HEALTH_PORT='${env.HEALTH_PORT}' is not a port number`);
  }
  return {
    configDir: env.TRIBUTARY_CONFIG_DIR ?? './config',
    grpcListen: env.GRPC_LISTEN ?? '0.0.0.0:50054',
    healthPort,
    metricStoreAddr: env.METRIC_STORE_ADDR ?? '127.0.0.1:50051',
  };
}
