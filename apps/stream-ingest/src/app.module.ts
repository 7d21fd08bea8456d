import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { IngestRuntime } from './ingest.runtime';

@Module({})
export class AppModule {
  static register(runtime: IngestRuntime): DynamicModule {
    return { module: AppModule, controllers: [HealthController], providers: [{ provide: IngestRuntime, useValue: runtime }] };
  }
}
