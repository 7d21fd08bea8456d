import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

/** web-api is ready once it serves HTTP: its peers may come and go, and their absence is answered per request (503). */
@Controller()
export class HealthController {
  @Get('livez')
  livez(@Res() res: Response): void {
    res.type('text/plain').send('ok');
  }

  @Get('readyz')
  readyz(@Res() res: Response): void {
    res.type('text/plain').send('ready');
  }
}
