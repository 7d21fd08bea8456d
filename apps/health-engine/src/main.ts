// health-engine: Netdata health checks for every host metric-store holds.
import 'reflect-metadata';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { readHealthEngineConfig } from './config/health-engine.config';
import { ConfigLibHealthSource } from './definition/config-lib.health-source';
import { HealthEngineRuntime } from './health-engine.runtime';

async function bootstrap(): Promise<void> {
  const logger = new Logger('health-engine');
  const config = readHealthEngineConfig(process.env, join(__dirname, 'assets', 'health.d'));
  const runtime = new HealthEngineRuntime(config, new ConfigLibHealthSource());
  const app = await NestFactory.create(AppModule.register(runtime), { logger: ['log', 'warn', 'error'] });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    try {
      await app.close();
      await runtime.stop();
      logger.log('stopped');
      process.exit(0);
    } catch (e) {
      logger.error(`shutdown failed: ${(e as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen(config.healthPort, '0.0.0.0');
  logger.log(`probes on :${config.healthPort} (/livez /readyz)`);
  await runtime.start();
  logger.log('ready');
}

bootstrap().catch((e: unknown) => {
  new Logger('health-engine').error(`boot failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
