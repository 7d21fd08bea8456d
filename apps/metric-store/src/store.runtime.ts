import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { MetricStoreServiceDefinition } from '@tributary/protocol';
import type { DataSource } from 'typeorm';
import type { StoreConfig } from './config/store.config';
import { createStoreDataSource } from './db/data-source.factory';
import { EmbeddedPostgresHandle, launchEmbeddedPostgres, widenReceiveWindow } from '@tributary/runtime';
import { StoreRepository } from './db/store.repository';
import { createMetricStoreService } from './grpc/metric-store.grpc-service';
import { WriteJournal } from './journal/write.journal';
import { errorText } from './store/db-errors';
import { MetricStore } from './store/metric.store';

/** Owns the process's parts in boot order: PostgreSQL (external or embedded), the store, the gRPC server. */
export class StoreRuntime {
  private readonly log = new Logger('StoreRuntime');
  private embedded: EmbeddedPostgresHandle | undefined;
  private ds: DataSource | undefined;
  private server: Server | undefined;
  store: MetricStore | undefined;
  grpcPort = 0;
  private stopped = false;

  constructor(readonly config: StoreConfig) {}

  get ready(): boolean {
    return this.store?.started === true && this.server !== undefined;
  }

  async start(): Promise<void> {
    let url = this.config.databaseUrl;
    if (!url) {
      this.embedded = await launchEmbeddedPostgres(this.config.dataDir, 'postgres', (m) => this.log.log(m));
      url = this.embedded.url;
    }
    // The database may be starting too: keep trying, the process stays live (not ready) meanwhile.
    for (let attempt = 1; !this.stopped; attempt++) {
      const ds = createStoreDataSource(url);
      try {
        await ds.initialize();
        const ran = await ds.runMigrations({ transaction: 'each' });
        if (ran.length > 0) this.log.log(`migrations applied: ${ran.map((m) => m.name).join(', ')}`);
        const store = new MetricStore(this.config, new StoreRepository(ds), new WriteJournal(this.config.journalDir));
        await store.start();
        this.ds = ds;
        this.store = store;
        break;
      } catch (e) {
        if (ds.isInitialized) await ds.destroy().catch(() => undefined);
        this.log.error(`database ${redact(url)} not usable (attempt ${attempt}): ${errorText(e)}; retrying in 2 s`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (this.stopped || !this.store) return;
    const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    server.addService(MetricStoreServiceDefinition, createMetricStoreService(this.store, this.config.queryCacheBytes));
    this.grpcPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.config.grpcListen, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    // Writes arrive at megabytes a second on one stream: a 64 KiB window would pace them to the event loop's turns.
    if (!widenReceiveWindow(server, 16 * 1024 * 1024)) this.log.warn('gRPC: could not raise the HTTP/2 receive window; writes may be slow');
    this.server = server;
    this.log.log(`gRPC MetricStore listening on ${this.config.grpcListen.replace(/:\d+$/, '')}:${this.grpcPort}`);
  }

  /** Stops taking writes, flushes every hot page to PostgreSQL, then closes it. */
  async stop(): Promise<void> {
    this.stopped = true;
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 3000);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
        // Open Write and Subscribe streams never end by themselves: end them now.
        this.store?.hub.closeAll();
      });
    }
    if (this.store) {
      const ok = await this.store.stop(30000);
      this.log.log(ok ? 'every hot page flushed to PostgreSQL' : 'shutdown with unflushed pages (kept in the journal)');
    }
    if (this.ds?.isInitialized) await this.ds.destroy();
    if (this.embedded) await this.embedded.stop();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
