import { Logger } from '@nestjs/common';
import type { ExporterEnv } from './config/runtime.env';
import type { ExportingSettings } from './config/exporting.settings';
import { ExportingEngine } from './exporting.engine';
import { ExporterGrpcServer } from './api/exporter.grpc-server';
import { MetricStoreSubscriber } from './subscription/metric-store.subscriber';

/** Everything the exporter runs, started and stopped in order. */
export class ExporterRuntime {
  private readonly log = new Logger('exporter');
  readonly engine: ExportingEngine;
  readonly grpc: ExporterGrpcServer;
  subscriber: MetricStoreSubscriber | undefined;
  ready = false;

  constructor(
    readonly env: ExporterEnv,
    settings: ExportingSettings,
  ) {
    this.engine = new ExportingEngine(settings);
    this.grpc = new ExporterGrpcServer(this.engine);
  }

  async start(): Promise<void> {
    const port = await this.grpc.listen(this.env.grpcListen);
    this.log.log(`gRPC Exporter listening on ${this.env.grpcListen.replace(/:\d+$/, '')}:${port}`);
    this.subscriber = new MetricStoreSubscriber(this.env.metricStoreAddr, this.engine.registry);
    this.subscriber.start();
    this.engine.start();
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.subscriber?.stop();
    await this.engine.stop();
    await this.grpc.stop();
  }
}
