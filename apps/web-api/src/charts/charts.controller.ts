import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ListChartsResponse } from '@tributary/protocol';
import { PeerClients } from '../grpc/peer.clients';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { KnownHost } from '../hosts/known-host';
import { ApiError, badRequest, notFound } from '../http/api.error';
import { sendJson } from '../http/send-json';
import { chartJson, isObsoleteChart } from './chart.json';
import { chartsDocument } from './charts.document';

const EMPTY: ListChartsResponse = { host: undefined, charts: [], variables: [] };

@Controller('api/v1')
export class ChartsController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  /** The parent has no charts of its own unless something stored them under its GUID; that is not an error. */
  private async charts(host: KnownHost, chart = ''): Promise<ListChartsResponse> {
    try {
      return await this.peers.listCharts({ host: host.machineGuid, chart, guidOnly: true });
    } catch (error) {
      if (host.isParent && error instanceof ApiError && error.status === 404) return EMPTY;
      throw error;
    }
  }

  @Get('charts')
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const selected = hostOf(req, this.directory);
    const allHosts = await this.directory.list();
    const host = allHosts.find((h) => h.machineGuid === selected.machineGuid) ?? selected;
    const list = await this.charts(host);
    const alarms = await this.peers.alarms({ host: host.machineGuid, all: false }).catch(() => null);
    sendJson(
      res,
      chartsDocument({
        host: list.host?.info ? { ...host, record: list.host } : host,
        version: this.directory.parent.version,
        charts: list.charts,
        variables: list.variables,
        allHosts,
        alarmsCount: alarms?.alarms.length ?? 0,
      }),
    );
  }

  @Get('chart')
  async one(@Req() req: Request, @Res() res: Response, @Query('chart') chart: unknown): Promise<void> {
    if (typeof chart !== 'string' || !chart) throw badRequest('No chart id is given at the request.');
    const host = hostOf(req, this.directory);
    let list: ListChartsResponse;
    try {
      list = await this.charts(host, chart);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw notFound(`Chart is not found: ${chart}`);
      throw error;
    }
    const found = list.charts.find((c) => (c.id === chart || c.name === chart) && !isObsoleteChart(c));
    if (!found) throw notFound(`Chart is not found: ${chart}`);
    sendJson(res, chartJson(found, list.variables), true);
  }
}
