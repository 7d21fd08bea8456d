import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { readExporterEnv } from './config/runtime.env';
import { loadExportingSettings } from './config/exporting-conf.parser';
import { ExporterRuntime } from './exporter.runtime';

async function main(): Promise<void> {
  const log = new Logger('exporter');
  const env = readExporterEnv();
  let settings;
  try {
    settings = loadExportingSettings(env.configDir);
  } catch (e) {
    log.error(`invalid configuration: ${(e as Error).message.replace(/\n/g, ' | ')}`);
    process.exit(1);
  }
  for (const w of settings.warnings) log.warn(w);
  const runtime = new ExporterRuntime(env, settings);
  const app = await NestFactory.create(AppModule.with(runtime), { logger: ['log', 'warn', 'error'] });
  await runtime.start();
  await app.listen(env.healthPort, '0.0.0.0');
  log.log(`health on :${env.healthPort} (/livez, /readyz); metric-store at ${env.metricStoreAddr}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: shutting down`);
    void (async () => {
      await runtime.stop();
      await app.close();
      log.log('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  new Logger('exporter').error(`fatal: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
