import { Server, ServerCredentials } from '@grpc/grpc-js';
import { MetricStoreServer, MetricStoreService, WriteAck, WriteBatch } from '@tributary/protocol';

/** A metric-store that acknowledges every batch at once and only counts: the benchmark measures ingest, not storage. */
export class FastSink {
  private readonly server = new Server({ 'grpc.max_receive_message_length': 256 << 20 });
  rows = 0;
  batches = 0;

  async start(): Promise<number> {
    const impl: Partial<MetricStoreServer> = {
      write: (call) => {
        call.on('data', (b: WriteBatch) => {
          let rows = 0;
          for (const s of b.samples) rows += s.rows;
          this.rows += rows;
          this.batches++;
          const ack: WriteAck = { batchId: b.batchId, rows, error: '', retryable: false, duplicate: false };
          call.write(ack);
        });
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
      listCharts: (_call, cb) => cb(null, { host: undefined, charts: [], variables: [] }),
    };
    this.server.addService(MetricStoreService, impl as MetricStoreServer);
    return new Promise((res, rej) => this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
