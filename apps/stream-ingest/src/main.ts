import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { IngestRuntime } from './ingest.runtime';
import { loadIngestSettings } from './settings/ingest.settings';

async function bootstrap(): Promise<void> {
  const logger = new Logger('stream-ingest');
  const runtime = new IngestRuntime(loadIngestSettings());
  const app = await NestFactory.create(AppModule.register(runtime), { logger: ['log', 'error', 'warn'] });
  await app.listen(runtime.settings.healthPort, '0.0.0.0');
  await runtime.start();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    void runtime
      .stop()
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        logger.error(`shutdown failed: ${String(e)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

bootstrap().catch((e: unknown) => {
  new Logger('stream-ingest').error(`cannot start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
