import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PeerClients } from '../grpc/peer.clients';
import { HostDirectory } from '../hosts/host.directory';
import { hostOf } from '../hosts/host.routing';
import { unavailable } from '../http/api.error';
import { sendJson } from '../http/send-json';
import { PeerAnswer, streamStatusDocument } from './stream-status.document';

async function settle<T>(p: Promise<T>): Promise<PeerAnswer<T>> {
  try {
    return { value: await p, error: null };
  } catch (error) {
    return { value: null, error: (error as Error).message };
  }
}

/** Our addition to Netdata's API: what every stream is doing, and whether each backing service answers. */
@Controller('api/v1/tributary')
export class StreamsController {
  constructor(
    @Inject(HostDirectory) private readonly directory: HostDirectory,
    @Inject(PeerClients) private readonly peers: PeerClients,
  ) {}

  @Get('streams')
  async streams(@Req() req: Request, @Res() res: Response): Promise<void> {
    const [ingest, hosts, store, health, exporter] = await Promise.all([
      settle(this.peers.streamStatus()),
      settle(this.peers.listHosts().then((r) => r.hosts)),
      settle(this.peers.storeStatus()),
      settle(this.peers.healthStatus()),
      settle(this.peers.exporterStatus()),
    ]);
    if (!ingest.value && !hosts.value) {
      throw unavailable(`Neither stream-ingest nor metric-store answers: ${ingest.error}; ${hosts.error}`);
    }
    const doc = streamStatusDocument({ parent: this.directory.parent, ingest, hosts, store, health, exporter, nowMs: Date.now() });
    const selected = req.originalUrl.startsWith('/host/') ? hostOf(req, this.directory) : null;
    if (selected) doc['hosts'] = (doc['hosts'] as Array<{ machine_guid: string }>).filter((h) => h.machine_guid === selected.machineGuid);
    sendJson(res, doc);
  }
}
