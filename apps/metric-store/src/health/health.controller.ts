import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { StoreRuntime } from '../store.runtime';

@Controller()
export class HealthController {
  constructor(private readonly runtime: StoreRuntime) {}

  @Get('livez')
  @HttpCode(HttpStatus.OK)
  livez(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready once the store is loaded and gRPC listens; a database outage keeps it ready (writes are held). */
  @Get('readyz')
  readyz(@Res() res: Response): void {
    const store = this.runtime.store;
    const body = {
      status: this.runtime.ready ? 'ready' : 'starting',
      database: store?.databaseUp ? 'up' : (store?.databaseError ?? 'not connected'),
      heldBytes: store?.heldBytes ?? 0,
    };
    res.status(this.runtime.ready ? 200 : 503).json(body);
  }
}
