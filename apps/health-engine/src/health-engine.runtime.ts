// Boots and stops the parts in order: database (migrations, log restore), engine, gRPC server, metric-store
// subscription, evaluation and flush timers. One instance per process.
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthEngine } from './alarm/health.engine';
import { HealthEngineConfig } from './config/health-engine.config';
import { AlarmLogRepository, createHealthDataSource } from './db/alarm-log.repository';
import { EmbeddedPostgresHandle, launchEmbeddedPostgres } from '@tributary/runtime';
import { BindableDefinition, compileDefinition } from './definition/definition.compiler';
import { HealthConfigSource } from './definition/health-definition';
import { HealthEngineGrpcServer } from './grpc/health-engine.grpc-server';
import { AlarmLog } from './log/alarm.log';
import { NotificationChannel } from './notify/alarm-notification';
import { ExecNotifier } from './notify/exec.notifier';
import { WebhookNotifier } from './notify/webhook.notifier';
import { MetricStoreSubscriber } from './store/metric-store.subscriber';

export class HealthEngineRuntime {
  private readonly logger = new Logger('health-engine');
  private embedded: EmbeddedPostgresHandle | null = null;
  private ds: DataSource | null = null;
  engine: HealthEngine | null = null;
  private subscriber: MetricStoreSubscriber | null = null;
  private grpc: HealthEngineGrpcServer | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastDbError = '';
  private stopping = false;
  grpcPort = 0;

  constructor(
    private readonly config: HealthEngineConfig,
    private readonly source: HealthConfigSource,
  ) {}

  /** Loads health.d; a bad stanza is logged with file:line and skipped, never fatal. */
  loadDefinitions(): BindableDefinition[] {
    const { definitions, issues } = this.source.load(this.config.healthDirs);
    for (const i of issues) this.logger.warn(`health config ${i.file}:${i.line}: ${i.message}`);
    const out: BindableDefinition[] = [];
    for (const d of definitions) {
      try {
        out.push(compileDefinition(d));
      } catch (e) {
        const [line, file] = d.source.split('@');
        this.logger.warn(`health config ${file}:${line}: ${(e as Error).message.replace(/^[^:]*: /, '')}`);
      }
    }
    this.logger.log(`loaded ${out.length} alarms/templates from ${this.config.healthDirs.join(', ')}`);
    return out;
  }

  async start(): Promise<void> {
    const c = this.config;
    let url = c.databaseUrl;
    if (!url) {
      this.embedded = await launchEmbeddedPostgres(c.dataDir, 'health-postgres', (m) => this.logger.log(m));
      url = this.embedded.url;
    }
    this.ds = await this.connectDatabase(url);
    if (!this.ds) return; // stopped while waiting for the database
    this.lastDbError = '';
    const log = new AlarmLog(new AlarmLogRepository(this.ds), c.logHistory);
    const restored = await log.restore();
    this.logger.log(`alarm log: ${restored.length} entries restored from PostgreSQL`);

    const channels: NotificationChannel[] = [];
    channels.push(new ExecNotifier(c.defaultExec));
    if (c.webhookUrl) channels.push(new WebhookNotifier(c.webhookUrl, c.webhookAttempts));
    const engineLogger = {
      log: (m: string) => this.logger.log(m),
      warn: (m: string) => this.logger.warn(m),
      error: (m: string) => this.logger.error(m),
    };
    this.engine = new HealthEngine(this.loadDefinitions(), log, channels, engineLogger);

    this.grpc = new HealthEngineGrpcServer(this.engine, c.grpcListen);
    this.grpcPort = await this.grpc.start();
    this.logger.log(`gRPC HealthEngine listening on ${c.grpcListen.replace(/:\d+$/, '')}:${this.grpcPort}`);

    this.subscriber = new MetricStoreSubscriber(c.metricStoreAddr, this.engine, engineLogger);
    this.subscriber.start();

    const engine = this.engine;
    this.tickTimer = setInterval(() => {
      try {
        engine.tick();
      } catch (e) {
        this.logger.error(`evaluation failed: ${(e as Error).stack ?? String(e)}`);
      }
    }, 1000);
    this.flushTimer = setInterval(() => void this.flush(), 1000);
  }

  /** Waits for PostgreSQL (readyz answers 503 meanwhile) instead of dying when it is not up yet. */
  private async connectDatabase(url: string): Promise<DataSource | null> {
    let lastLog = 0;
    for (let attempt = 1; !this.stopping; attempt++) {
      const ds = createHealthDataSource(url);
      try {
        await ds.initialize();
        const applied = await ds.runMigrations({ transaction: 'each' });
        if (applied.length) this.logger.log(`migrations applied: ${applied.map((m) => m.name).join(', ')}`);
        if (attempt > 1) this.logger.log(`database reachable after ${attempt} attempts`);
        return ds;
      } catch (e) {
        if (ds.isInitialized) await ds.destroy().catch(() => undefined);
        this.lastDbError = (e as Error).message;
        if (Date.now() - lastLog > 30000) {
          this.logger.error(`database ${url.replace(/\/\/[^@]*@/, '//***@')} not reachable (${this.lastDbError}), retrying`);
          lastLog = Date.now();
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
      }
    }
    return null;
  }

  private async flush(): Promise<void> {
    const log = this.engine?.log;
    if (!log) return;
    await log.flush();
    if (log.lastFlushError !== this.lastDbError) {
      if (log.lastFlushError) this.logger.error(`alarm log not saved (${log.pendingWrites} entries kept for retry): ${log.lastFlushError}`);
      else this.logger.log('alarm log saved again after a database error');
      this.lastDbError = log.lastFlushError;
    }
  }

  ready(): { ready: boolean; database: boolean; metricStore: boolean; grpc: boolean } {
    const database = !!this.ds?.isInitialized && !this.lastDbError;
    const metricStore = !!this.subscriber?.connected;
    const grpc = this.grpcPort > 0;
    return { ready: database && metricStore && grpc, database, metricStore, grpc };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.tickTimer = this.flushTimer = null;
    this.subscriber?.stop();
    await this.grpc?.stop();
    if (this.engine) await this.engine.log.flush();
    if (this.ds?.isInitialized) await this.ds.destroy();
    if (this.embedded) await this.embedded.stop();
    this.embedded = null;
  }
}
