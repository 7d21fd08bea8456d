import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ChartDef } from '@tributary/protocol';
import { SimplePattern } from '@tributary/simple-patterns';
import { PeerClients } from '../grpc/peer.clients';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { ApiError, badRequest } from '../http/api.error';
import { clientAddress } from '../http/client.address';
import { isObsoleteChart } from '../charts/chart.json';
import { allmetricsJson, allmetricsShell } from './allmetrics.formatter';
import { latestValues } from './latest-values';

const FORMATS = ['shell', 'json', 'prometheus', 'prometheus_all_hosts'];
const PROMETHEUS_FLAGS = ['help', 'types', 'names', 'timestamps', 'variables', 'oldunits', 'hideunits'];

function param(req: Request, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = req.query[n];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

@Controller('api/v1')
export class AllmetricsController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  @Get('allmetrics')
  async allmetrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    const format = param(req, 'format') ?? 'shell';
    if (!FORMATS.includes(format)) {
      throw badRequest("Which format? 'shell', 'prometheus', 'prometheus_all_hosts' and 'json' are currently supported.");
    }
    const host = hostOf(req, this.directory);
    const filter = param(req, 'filter') ?? '';
    res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
    if (format.startsWith('prometheus')) {
      const options: Record<string, string> = {};
      for (const f of PROMETHEUS_FLAGS) {
        const v = param(req, f);
        if (v !== undefined) options[f] = v;
      }
      // The exporter keeps the per-server "since last scrape" state, so the whole answer is its to make.
      const scrape = await this.peers.prometheusScrape({
        host: host.isParent ? '' : host.machineGuid,
        allHosts: format === 'prometheus_all_hosts',
        // As Netdata: without `server=`, the scraping client's address keys the "since last scrape" window.
        server: param(req, 'server') ?? clientAddress(req),
        prefix: param(req, 'prefix') ?? 'netdata',
        source: param(req, 'source', 'data', 'data source') ?? 'average',
        filter,
        options,
      });
      res.status(scrape.status || 200).type(scrape.contentType || 'text/plain; version=0.0.4').send(scrape.body);
      return;
    }
    let charts: ChartDef[];
    try {
      charts = (await this.peers.listCharts({ host: host.machineGuid, chart: '', guidOnly: true })).charts;
    } catch (error) {
      if (!(host.isParent && error instanceof ApiError && error.status === 404)) throw error;
      charts = [];
    }
    const pattern = filter ? SimplePattern.compile(filter) : null;
    charts = charts
      .filter((c) => !isObsoleteChart(c) && (!pattern || pattern.matches(c.name || c.id)))
      .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
    const latest = await latestValues(this.peers, host.machineGuid, charts);
    if (format === 'json') res.type('application/json; charset=utf-8').send(allmetricsJson(charts, latest));
    else res.type('text/plain; charset=utf-8').send(allmetricsShell(charts, latest));
  }
}
