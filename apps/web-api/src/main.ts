import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createWebApi } from './app.factory';
import { loadWebApiConfig } from './config/web-api.config';
import { listenWithProxyHeader } from './http/proxied.listener';
import type { Server } from 'node:net';

async function main(): Promise<void> {
  const logger = new Logger('WebApi');
  const config = loadWebApiConfig();
  const { app, peers, directory } = await createWebApi(config, logger);
  // filled once listening; a signal during startup finds it empty
  const listeners: Server[] = [];
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, closing the HTTP listener`);
    for (const l of listeners) l.close();
    app
      .close()
      .then(() => peers.close())
      .then(
        () => {
          logger.log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await app.init();
  listeners.push(await listenWithProxyHeader(app.getHttpServer(), config.listen.port, config.listen.host, (m) => logger.warn(m)));
  logger.log(
    `listening on http://${config.listen.host}:${config.listen.port} as parent '${directory.parent.hostname}' ` +
      `(${directory.parent.machineGuid}); metric-store ${config.metricStoreAddr}, stream-ingest ${config.streamIngestAddr}, ` +
      `health-engine ${config.healthEngineAddr}, exporter ${config.exporterAddr}`,
  );
}

main().catch((error: unknown) => {
  new Logger('WebApi').error(`cannot start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
