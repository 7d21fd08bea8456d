import { DynamicModule, Module } from '@nestjs/common';
import type { StoreConfig } from './config/store.config';
import { HealthController } from './health/health.controller';
import { StoreRuntime } from './store.runtime';

@Module({})
export class AppModule {
  static forConfig(config: StoreConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: StoreRuntime, useValue: new StoreRuntime(config) }],
    };
  }
}
