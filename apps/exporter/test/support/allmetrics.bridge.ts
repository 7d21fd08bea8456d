import { createServer, type Server } from 'node:http';
import { credentials } from '@grpc/grpc-js';
import { ExporterClient, type ScrapeResponse } from '@tributary/protocol';

/**
 * What web-api does for /api/v1/allmetrics?format=prometheus[_all_hosts]: parameters into `Exporter.PrometheusScrape`,
 * the answer back as the HTTP body. Lets a real Prometheus scrape the exporter in tests.
 */
export class AllmetricsBridge {
  private readonly server: Server;
  private readonly client: ExporterClient;
  port = 0;

  constructor(exporterAddr: string, host = '') {
    this.client = new ExporterClient(exporterAddr, credentials.createInsecure());
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const q = url.searchParams;
      const options: Record<string, string> = {};
      for (const k of ['names', 'timestamps', 'variables', 'oldunits', 'hideunits']) {
        const v = q.get(k);
        if (v !== null) options[k] = v;
      }
      const source = ['data', 'source', 'data source', 'data-source', 'data_source', 'datasource'].map((k) => q.get(k)).find((v) => v) ?? '';
      this.client.prometheusScrape(
        {
          host,
          allHosts: q.get('format') === 'prometheus_all_hosts',
          server: q.get('server') ?? req.socket.remoteAddress ?? '',
          prefix: q.get('prefix') ?? '',
          source,
          filter: q.get('filter') ?? '',
          options,
        },
        (e: Error | null, r: ScrapeResponse) => {
          if (e) {
            res.writeHead(503).end(e.message);
            return;
          }
          res.writeHead(r.status, { 'content-type': r.contentType }).end(r.body);
        },
      );
    });
  }

  listen(): Promise<number> {
    return new Promise((r) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        r(this.port);
      }),
    );
  }

  close(): Promise<void> {
    this.client.close();
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
