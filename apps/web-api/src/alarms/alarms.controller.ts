import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PeerClients } from '../grpc/peer.clients';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { badRequest } from '../http/api.error';
import { sendJson } from '../http/send-json';
import { alarmJson, alarmLogJson } from './alarm.json';

@Controller('api/v1')
export class AlarmsController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  @Get('alarms')
  async alarms(@Req() req: Request, @Res() res: Response): Promise<void> {
    const host = hostOf(req, this.directory);
    // Netdata's ?all and ?all=... both mean "include CLEAR and UNDEFINED"; ?active is the default view.
    const all = req.query['all'] !== undefined;
    // Netdata's /api/v1/alarms is one host's (localhost at the root): keys are chart.alarm, unique only per host.
    const list = await this.peers.alarms({ host: host.machineGuid, all });
    const alarms: Record<string, unknown> = {};
    let latest = 0;
    for (const a of list.alarms) {
      alarms[`${a.chart}.${a.name}`] = alarmJson(a);
      if (a.uniqueId > latest) latest = a.uniqueId;
    }
    sendJson(res, {
      hostname: host.hostname,
      latest_alarm_log_unique_id: latest,
      status: true,
      now: Math.floor(Date.now() / 1000),
      alarms,
    });
  }

  @Get('alarm_log')
  async alarmLog(@Req() req: Request, @Res() res: Response): Promise<void> {
    const host = hostOf(req, this.directory);
    const afterText = typeof req.query['after'] === 'string' ? req.query['after'] : '0';
    if (!/^\d+$/.test(afterText)) throw badRequest(`Invalid 'after' parameter: '${afterText}' is not a unique id.`);
    const log = await this.peers.alarmLog({ host: host.machineGuid, after: Number(afterText) });
    sendJson(res, log.entries.map(alarmLogJson));
  }
}
