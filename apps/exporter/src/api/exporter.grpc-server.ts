import { Logger } from '@nestjs/common';
import { Server, ServerCredentials, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import {
  ExporterService,
  type ExporterStatus,
  type ExporterStatusRequest,
  type ScrapeRequest,
  type ScrapeResponse,
} from '@tributary/protocol';
import type { ExportingEngine } from '../exporting.engine';

/** `tributary.v1.Exporter` over raw grpc-js. */
export class ExporterGrpcServer {
  private readonly log = new Logger('grpc');
  private readonly server = new Server();
  port = 0;

  constructor(private readonly engine: ExportingEngine) {
    this.server.addService(ExporterService, {
      getExporterStatus: (_call: ServerUnaryCall<ExporterStatusRequest, ExporterStatus>, cb: sendUnaryData<ExporterStatus>) => {
        cb(null, this.engine.status());
      },
      prometheusScrape: (call: ServerUnaryCall<ScrapeRequest, ScrapeResponse>, cb: sendUnaryData<ScrapeResponse>) => {
        try {
          cb(null, this.engine.scrape.scrape(call.request));
        } catch (e) {
          this.log.error(`PrometheusScrape failed: ${(e as Error).message}`);
          cb({ code: GrpcStatus.INTERNAL, details: (e as Error).message });
        }
      },
    });
  }

  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
        if (err) reject(new Error(`cannot listen on ${address}: ${err.message}`));
        else {
          this.port = port;
          resolve(port);
        }
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 3000);
      this.server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
