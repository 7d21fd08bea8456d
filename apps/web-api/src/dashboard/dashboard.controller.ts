import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { join } from 'node:path';
import { dashboardAssetsDir } from './dashboard.assets';

/** The dashboard page; its scripts and styles are served as static files (see app.factory). */
@Controller()
export class DashboardController {
  @Get(['', 'index.html'])
  index(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dashboardAssetsDir(), 'index.html'));
  }
}
