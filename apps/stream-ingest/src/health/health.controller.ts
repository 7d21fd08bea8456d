import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { IngestRuntime } from '../ingest.runtime';

@Controller()
export class HealthController {
  constructor(@Inject(IngestRuntime) private readonly runtime: IngestRuntime) {}

  @Get('livez')
  livez(): string {
    return 'ok';
  }

  @Get('readyz')
  readyz(): { ready: boolean; storeConnected: boolean; children: number } {
    if (!this.runtime.ready) throw new HttpException('starting', HttpStatus.SERVICE_UNAVAILABLE);
    return { ready: true, storeConnected: this.runtime.writer.storeConnected, children: this.runtime.registry.sessions().length };
  }
}
