import { Logger } from '@nestjs/common';
import { formatLocation } from '@tributary/config';
import { StreamListener } from './listener/stream.listener';
import { HandshakeAuthorizer } from './session/handshake.authorizer';
import { ReceiverSession } from './session/receiver.session';
import { SessionRegistry } from './session/session.registry';
import { StreamLog } from './session/stream.log';
import { IngestSettings } from './settings/ingest.settings';
import { StatusGrpcServer } from './status/status.grpc';
import { StreamStatusTracker } from './status/stream.status';
import { ReadScheduler } from './session/read.scheduler';
import { StoreWriter } from './store/store.writer';

/** Everything stream-ingest runs, wired once from the boot-time settings. */
export class IngestRuntime {
  readonly writer: StoreWriter;
  /** shares each event-loop turn's parsing time between children */
  readonly reads: ReadScheduler;
  readonly registry = new SessionRegistry();
  readonly listener: StreamListener;
  readonly tracker: StreamStatusTracker;
  private readonly grpc: StatusGrpcServer;
  private readonly logger = new Logger('stream-ingest');
  ready = false;

  constructor(readonly settings: IngestSettings) {
    const log = new StreamLog();
    this.reads = new ReadScheduler(settings.readTurnMs);
    this.writer = new StoreWriter({
      address: settings.metricStoreAddr,
      batchIntervalMs: settings.batchIntervalMs,
      batchRows: settings.batchRows,
      batchMaxBytes: settings.batchMaxBytes,
      childBufferBytes: settings.childBufferBytes,
      log: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
    });
    this.listener = new StreamListener(settings, {
      authorizer: new HandshakeAuthorizer(settings, this.registry),
      registry: this.registry,
      writer: this.writer,
      reads: this.reads,
      log,
      defaultUpdateEvery: settings.defaultUpdateEvery,
      handshakeTimeoutMs: settings.handshakeTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      ingestId: settings.ingestId,
      storeLookupMs: 2000,
      sender: settings.config.stream.stream,
    }, log);
    this.tracker = new StreamStatusTracker(() => this.listener.sessions as Iterable<ReceiverSession>, this.writer, this.reads);
    this.grpc = new StatusGrpcServer(this.tracker);
  }

  async start(): Promise<void> {
    for (const w of this.settings.config.warnings)
      this.logger.warn(w.location ? `${formatLocation(w.location)}: ${w.message}` : w.message);
    this.writer.start();
    this.tracker.start();
    const grpcPort = await this.grpc.listen(this.settings.grpcListen);
    await this.listener.listen();
    this.logger.log(
      `listening for streams on ${this.settings.listenHost}:${this.listener.port} (ssl ${this.settings.sslMode}), status gRPC on port ${grpcPort}, metric-store ${this.settings.metricStoreAddr}, web-api ${this.settings.webApiUrl}`,
    );
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.listener.close();
    await this.writer.stop();
    this.tracker.stop();
    await this.grpc.close();
  }
}
