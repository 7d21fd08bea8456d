import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import { MetricStoreService, type SubscribeEvent, type SubscribeRequest } from '@tributary/protocol';

/** An in-process MetricStore that only implements Subscribe: tests push events to every open subscription. */
export class FakeMetricStore {
  private readonly server = new Server();
  readonly calls: ServerWritableStream<SubscribeRequest, SubscribeEvent>[] = [];
  /** Sent to every new subscription first (topology replay, as the real store does). */
  onSubscribe: (call: ServerWritableStream<SubscribeRequest, SubscribeEvent>) => void = () => undefined;
  port = 0;

  constructor() {
    const unimplemented = (_c: unknown, cb: (e: Error) => void) => cb(new Error('not in the fake'));
    this.server.addService(MetricStoreService, {
      write: (call: { end(): void }) => call.end(),
      query: unimplemented,
      listHosts: unimplemented,
      listCharts: unimplemented,
      getStatus: unimplemented,
      subscribe: (call: ServerWritableStream<SubscribeRequest, SubscribeEvent>) => {
        this.calls.push(call);
        call.on('cancelled', () => this.drop(call));
        this.onSubscribe(call);
      },
    });
  }

  private drop(call: ServerWritableStream<SubscribeRequest, SubscribeEvent>): void {
    const i = this.calls.indexOf(call);
    if (i >= 0) this.calls.splice(i, 1);
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, port) => {
        if (e) reject(e);
        else {
          this.port = port;
          resolve(port);
        }
      }),
    );
  }

  push(ev: SubscribeEvent): void {
    for (const c of this.calls) c.write(ev);
  }

  /** Ends every open subscription (the exporter must resubscribe). */
  endAll(): void {
    for (const c of this.calls.splice(0)) c.end();
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
