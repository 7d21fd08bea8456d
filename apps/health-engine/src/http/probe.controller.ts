import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthEngineRuntime } from '../health-engine.runtime';

/** Liveness and readiness probes on HEALTH_PORT. */
@Controller()
export class ProbeController {
  constructor(@Inject(HealthEngineRuntime) private readonly runtime: HealthEngineRuntime) {}

  @Get('livez')
  @HttpCode(200)
  livez(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(@Res() res: Response): void {
    const r = this.runtime.ready();
    res.status(r.ready ? 200 : 503).json(r);
  }
}
