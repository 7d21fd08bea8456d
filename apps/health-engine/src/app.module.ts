import { DynamicModule, Module } from '@nestjs/common';
import { HealthEngineRuntime } from './health-engine.runtime';
import { ProbeController } from './http/probe.controller';

@Module({})
export class AppModule {
  static register(runtime: HealthEngineRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [ProbeController],
      providers: [{ provide: HealthEngineRuntime, useValue: runtime }],
    };
  }
}
