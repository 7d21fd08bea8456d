import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PeerClients } from '../grpc/peer.clients';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { sendJson } from '../http/send-json';
import { infoDocument } from './info.document';

@Controller('api/v1')
export class InfoController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  @Get('info')
  async info(@Req() req: Request, @Res() res: Response): Promise<void> {
    const selected = hostOf(req, this.directory);
    const allHosts = await this.directory.list();
    const host = allHosts.find((h) => h.machineGuid === selected.machineGuid) ?? selected;
    // Reachable = has a live receiver now: stream-ingest knows best, metric-store's online flag is the fallback.
    const reachable = new Set<string>();
    const status = await this.peers.streamStatus().catch(() => null);
    if (status) {
      for (const c of status.children) if (c.online) reachable.add(c.machineGuid);
    } else {
      for (const h of allHosts) if (h.record?.online) reachable.add(h.machineGuid);
    }
    const alarms = { normal: 0, warning: 0, critical: 0 };
    const list = await this.peers.alarms({ host: host.machineGuid, all: true }).catch(() => null);
    for (const a of list?.alarms ?? []) {
      if (a.status === 'WARNING') alarms.warning++;
      else if (a.status === 'CRITICAL') alarms.critical++;
      else if (a.status === 'CLEAR') alarms.normal++;
    }
    sendJson(
      res,
      infoDocument({
        host,
        allHosts,
        reachable,
        parentVersion: this.directory.parent.version,
        alarms,
        chartsCount: host.record ? host.record.charts : null,
        metricsCount: host.record ? host.record.dimensions : null,
      }),
    );
  }
}
