import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ChartDef } from '@tributary/protocol';
import { PeerClients } from '../grpc/peer.clients';
import { withoutHidden } from './hidden-dimensions';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { ApiError, notFound } from '../http/api.error';
import { formatData } from './data.formatter';
import { parseDataRequest } from './data.request';

@Controller('api/v1')
export class DataController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  @Get('data')
  async data(@Req() req: Request, @Res() res: Response): Promise<void> {
    const request = parseDataRequest(req.query as Record<string, unknown>);
    const host = hostOf(req, this.directory);
    let answer;
    let def: ChartDef | undefined;
    try {
      const query = this.peers.query({
        host: host.machineGuid,
        chart: request.chart,
        after: request.after,
        before: request.before,
        points: request.points,
        group: request.group,
        dimensions: request.dimensions,
        groupTime: request.groupTime,
        guidOnly: true,
      });
      // The definition tells which dimensions are hidden; fetched alongside so it costs no extra round trip.
      const chart = this.peers.listCharts({ host: host.machineGuid, chart: request.chart, guidOnly: true }).catch(() => null);
      [answer, def] = await Promise.all([query, chart.then((c) => c?.charts[0])]);
    } catch (error) {
      // Netdata's own words for an unknown chart or dimensions that match nothing.
      if (error instanceof ApiError && error.status === 404) throw notFound('No metrics where matched to query.');
      throw error;
    }
    if (request.dimensions.length && answer.dimensionIds.length === 0) throw notFound('No metrics where matched to query.');
    if (def && !request.dimensions.length && !request.options.has('showhidden')) answer = withoutHidden(answer, def);
    const out = formatData(answer, { hostname: host.hostname, request });
    res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
    res.type(out.contentType).send(out.body);
  }
}
