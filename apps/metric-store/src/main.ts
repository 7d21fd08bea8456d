import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadStoreConfig } from './config/store.config';
import { StoreRuntime } from './store.runtime';

async function main(): Promise<void> {
  const log = new Logger('metric-store');
  const config = loadStoreConfig();
  const app = await NestFactory.create(AppModule.forConfig(config), { logger: ['log', 'warn', 'error'] });
  const runtime = app.get(StoreRuntime);
  // Health first: /livez answers during boot, /readyz turns 200 once the store serves gRPC.
  await app.listen(config.healthPort, '0.0.0.0');
  log.log(`health on :${config.healthPort} (/livez, /readyz)`);
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${sig}: shutting down`);
    runtime
      .stop()
      .then(() => app.close())
      .then(() => {
        log.log('stopped');
        process.exit(0);
      })
      .catch((e: unknown) => {
        log.error(`shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await runtime.start();
}

main().catch((e: unknown) => {
  new Logger('metric-store').error(`fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
