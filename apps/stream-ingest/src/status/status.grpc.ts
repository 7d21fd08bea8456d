import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamIngestServer, StreamIngestService } from '@tributary/protocol';
import { StreamStatusTracker } from './stream.status';

/** StreamIngest.GetStreamStatus on GRPC_LISTEN. */
export class StatusGrpcServer {
  private readonly server = new Server();

  constructor(private readonly tracker: StreamStatusTracker) {
    const impl: StreamIngestServer = {
      getStreamStatus: (_call, cb) => cb(null, this.tracker.snapshot()),
    };
    this.server.addService(StreamIngestService, impl);
  }

  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2000);
      this.server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
