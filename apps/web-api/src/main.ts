import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createWebApi } from './app.factory';
import { loadWebApiConfig } from './config/web-api.config';

async function main(): Promise<void> {
  const logger = new Logger('WebApi');
  const config = loadWebApiConfig();
  const { app, peers, directory } = await createWebApi(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, closing the HTTP listener`);
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
  await app.listen(config.listen.port, config.listen.host);
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
