import { Controller, Get, HttpCode, HttpException, Inject } from '@nestjs/common';
import { ExporterRuntime } from '../exporter.runtime';

@Controller()
export class HealthController {
  constructor(@Inject(ExporterRuntime) private readonly runtime: ExporterRuntime) {}

  @Get('livez')
  @HttpCode(200)
  livez(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready once the gRPC server listens; the subscription state is reported, not required (it reconnects). */
  @Get('readyz')
  readyz(): { status: string; metricStore: string; connectors: number } {
    const r = this.runtime;
    const body = {
      status: r.ready ? 'ok' : 'starting',
      metricStore: r.subscriber?.connected ? 'subscribed' : `not subscribed${r.subscriber?.lastError ? ': ' + r.subscriber.lastError : ''}`,
      connectors: r.engine.connectors.length,
    };
    if (!r.ready) throw new HttpException(body, 503);
    return body;
  }
}
