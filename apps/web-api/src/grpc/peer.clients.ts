import { credentials } from '@grpc/grpc-js';
import {
  AlarmLogRequest,
  AlarmLogResponse,
  AlarmsRequest,
  AlarmsResponse,
  ExporterClient,
  ExporterStatus,
  HealthEngineClient,
  HealthStatus,
  ListChartsRequest,
  ListChartsResponse,
  ListHostsResponse,
  MetricStoreClient,
  QueryRequest,
  QueryResponse,
  ScrapeRequest,
  ScrapeResponse,
  StoreStatus,
  StreamIngestClient,
  StreamStatusResponse,
} from '@tributary/protocol';
import { WebApiConfig } from '../config/web-api.config';
import { PeerName, toApiError, unary } from './rpc.call';

/**
 * The gRPC peers web-api reads from. Raw grpc-js clients (one channel each, reconnecting on their own); every call
 * has a deadline so a dead peer turns into a prompt 503 instead of a hung HTTP request.
 */
export class PeerClients {
  readonly store: PeerName;
  readonly ingest: PeerName;
  readonly health: PeerName;
  readonly exporter: PeerName;
  private readonly storeClient: MetricStoreClient;
  private readonly ingestClient: StreamIngestClient;
  private readonly healthClient: HealthEngineClient;
  private readonly exporterClient: ExporterClient;
  private readonly timeoutMs: number;

  constructor(config: Pick<WebApiConfig, 'metricStoreAddr' | 'streamIngestAddr' | 'healthEngineAddr' | 'exporterAddr' | 'rpcTimeoutMs'>) {
    const insecure = credentials.createInsecure();
    this.store = { name: 'metric-store', addr: config.metricStoreAddr };
    this.ingest = { name: 'stream-ingest', addr: config.streamIngestAddr };
    this.health = { name: 'health-engine', addr: config.healthEngineAddr };
    this.exporter = { name: 'exporter', addr: config.exporterAddr };
    // Query answers are large (1 h x 100 dimensions at every point is 2.9 MB): a 64 KiB HTTP/2 window would make
    // them crawl, and grpc-js refuses messages over 4 MiB by default.
    this.storeClient = new MetricStoreClient(config.metricStoreAddr, insecure, {
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
    });
    this.ingestClient = new StreamIngestClient(config.streamIngestAddr, insecure);
    this.healthClient = new HealthEngineClient(config.healthEngineAddr, insecure);
    this.exporterClient = new ExporterClient(config.exporterAddr, insecure);
    this.timeoutMs = config.rpcTimeoutMs;
  }

  private async call<Req, Res>(peer: PeerName, client: object, method: Parameters<typeof unary<Req, Res>>[1], req: Req): Promise<Res> {
    try {
      return await unary(client, method, req, this.timeoutMs);
    } catch (error) {
      throw toApiError(peer, error);
    }
  }

  listHosts(): Promise<ListHostsResponse> {
    return this.call(this.store, this.storeClient, this.storeClient.listHosts, {});
  }

  listCharts(req: ListChartsRequest): Promise<ListChartsResponse> {
    return this.call(this.store, this.storeClient, this.storeClient.listCharts, req);
  }

  query(req: QueryRequest): Promise<QueryResponse> {
    return this.call(this.store, this.storeClient, this.storeClient.query, req);
  }

  storeStatus(): Promise<StoreStatus> {
    return this.call(this.store, this.storeClient, this.storeClient.getStatus, {});
  }

  streamStatus(): Promise<StreamStatusResponse> {
    return this.call(this.ingest, this.ingestClient, this.ingestClient.getStreamStatus, {});
  }

  alarms(req: AlarmsRequest): Promise<AlarmsResponse> {
    return this.call(this.health, this.healthClient, this.healthClient.listAlarms, req);
  }

  alarmLog(req: AlarmLogRequest): Promise<AlarmLogResponse> {
    return this.call(this.health, this.healthClient, this.healthClient.alarmLog, req);
  }

  healthStatus(): Promise<HealthStatus> {
    return this.call(this.health, this.healthClient, this.healthClient.getHealthStatus, {});
  }

  exporterStatus(): Promise<ExporterStatus> {
    return this.call(this.exporter, this.exporterClient, this.exporterClient.getExporterStatus, {});
  }

  prometheusScrape(req: ScrapeRequest): Promise<ScrapeResponse> {
    return this.call(this.exporter, this.exporterClient, this.exporterClient.prometheusScrape, req);
  }

  close(): void {
    this.storeClient.close();
    this.ingestClient.close();
    this.healthClient.close();
    this.exporterClient.close();
  }
}
