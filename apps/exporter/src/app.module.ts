import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { ExporterRuntime } from './exporter.runtime';

@Module({})
export class AppModule {
  static with(runtime: ExporterRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: ExporterRuntime, useValue: runtime }],
    };
  }
}
