import { Server, ServerCredentials, ServiceError, status } from '@grpc/grpc-js';
import {
  Alarm,
  ChartDef,
  ExporterService,
  HealthEngineService,
  HostRecord,
  MetricStoreService,
  QueryRequest,
  QueryResponse,
  ScrapeRequest,
  StreamIngestService,
  StreamStatusResponse,
} from '@tributary/protocol';

/** In-process stand-ins for web-api's gRPC peers, for unit tests of the HTTP layer (integration tests use real apps). */
export interface FakeData {
  hosts: HostRecord[];
  charts: Map<string, ChartDef[]>; // by machine GUID
  /** per "guid/chartId": unix seconds (oldest first) and row-major values */
  series: Map<string, { times: number[]; values: number[][] }>;
  streams: StreamStatusResponse | null;
  alarms: Alarm[];
  scrapes: ScrapeRequest[];
  queries: QueryRequest[];
}

export interface FakePeers {
  addr: string;
  data: FakeData;
  stop(): Promise<void>;
}

function fail(code: status, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: undefined as never }) as ServiceError;
}

/** As metric-store: machine GUID first; a hostname only when the caller did not say it passes a GUID. */
function findHost(data: FakeData, nameOrGuid: string, guidOnly = false): HostRecord | undefined {
  const byGuid = data.hosts.find((h) => h.info?.machineGuid === nameOrGuid);
  if (byGuid || guidOnly) return byGuid;
  return data.hosts.find((h) => h.info?.hostname === nameOrGuid);
}

function query(data: FakeData, req: QueryRequest): QueryResponse {
  const host = findHost(data, req.host, req.guidOnly);
  if (!host?.info) throw fail(status.NOT_FOUND, `host not found: ${req.host}`);
  const guid = host.info.machineGuid;
  const chart = (data.charts.get(guid) ?? []).find((c) => c.id === req.chart || c.name === req.chart);
  if (!chart) throw fail(status.NOT_FOUND, `chart not found: ${req.chart}`);
  const series = data.series.get(`${guid}/${chart.id}`) ?? { times: [], values: [] };
  const cols = chart.dimensions
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => !req.dimensions.length || req.dimensions.includes(d.id) || req.dimensions.includes(d.name));
  // "now" is the newest point, or the wall clock when the series was prepared into the future (live dashboards).
  const last = series.times.length ? series.times[series.times.length - 1] : 0;
  const now = Math.min(last, Math.floor(Date.now() / 1000));
  const before = req.before <= 0 ? now + req.before : req.before;
  const after = req.after <= 0 ? before + req.after : req.after;
  const rows = series.times.map((t, i) => ({ t, i })).filter(({ t }) => t > after && t <= before);
  const time = Buffer.alloc(rows.length * 4);
  const values = Buffer.alloc(rows.length * cols.length * 8);
  rows.forEach(({ t, i }, r) => {
    time.writeUInt32LE(t, r * 4);
    cols.forEach(({ i: c }, k) => values.writeDoubleLE(series.values[i][c], (r * cols.length + k) * 8));
  });
  return {
    machineGuid: guid,
    chartId: chart.id,
    dimensionIds: cols.map(({ d }) => d.id),
    dimensionNames: cols.map(({ d }) => d.name),
    after,
    before,
    updateEvery: chart.updateEvery,
    rows: rows.length,
    timeS: time,
    values,
    firstEntryS: series.times[0] ?? 0,
    lastEntryS: now,

  };
}

export async function startFakePeers(data: FakeData): Promise<FakePeers> {
  const server = new Server();
  const wrap =
    <Req, Res>(fn: (req: Req) => Res) =>
    (call: { request: Req }, cb: (e: ServiceError | null, r?: Res) => void) => {
      try {
        cb(null, fn(call.request));
      } catch (e) {
        cb(e as ServiceError);
      }
    };
  server.addService(MetricStoreService, {
    write: () => undefined,
    subscribe: () => undefined,
    query: wrap((req: QueryRequest) => {
      data.queries.push(req);
      return query(data, req);
    }),
    listHosts: wrap(() => ({ hosts: data.hosts })),
    listCharts: wrap((req: { host: string; chart: string; guidOnly: boolean }) => {
      const host = findHost(data, req.host, req.guidOnly);
      if (!host?.info) throw fail(status.NOT_FOUND, `host not found: ${req.host}`);
      const all = data.charts.get(host.info.machineGuid) ?? [];
      return { host, charts: req.chart ? all.filter((c) => c.id === req.chart || c.name === req.chart) : all, variables: [] };
    }),
    getStatus: wrap(() => ({ databaseUp: true, databaseError: '', samplesWritten: 0, pagesFlushed: 0, hotPages: 0, hotSamples: 0, heldFlushBytes: 0, bytesOnDisk: 0, storedPoints: 0, hosts: data.hosts.length })),
  });
  server.addService(StreamIngestService, {
    getStreamStatus: wrap(() => {
      if (!data.streams) throw fail(status.UNAVAILABLE, 'stream-ingest down');
      return data.streams;
    }),
  });
  server.addService(HealthEngineService, {
    listAlarms: wrap(() => ({ alarms: data.alarms })),
    alarmLog: wrap(() => ({ entries: [] })),
    getHealthStatus: wrap(() => ({ hosts: 1, alarms: data.alarms.length, evaluationsPerSecond: 0, notificationsSent: 0, notificationsFailed: 0 })),
  });
  server.addService(ExporterService, {
    getExporterStatus: wrap(() => ({ connectors: [] })),
    prometheusScrape: wrap((req: ScrapeRequest) => {
      data.scrapes.push(req);
      return { status: 200, contentType: 'text/plain; version=0.0.4', body: `netdata_info{instance="x"} 1\n# host=${req.host} all=${req.allHosts}\n` };
    }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    addr: `127.0.0.1:${port}`,
    data,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export function hostRecord(guid: string, hostname: string, online: boolean): HostRecord {
  return {
    info: {
      machineGuid: guid,
      hostname,
      registryHostname: hostname,
      os: 'linux',
      timezone: 'Etc/UTC',
      abbrevTimezone: 'UTC',
      utcOffset: 0,
      hops: 1,
      programName: 'netdata',
      programVersion: 'v1.37.1',
      updateEvery: 1,
      tags: '',
      systemInfo: { NETDATA_SYSTEM_KERNEL_NAME: 'Linux', NETDATA_SYSTEM_CPU_LOGICAL_CPU_COUNT: '4' },
      labels: { _os_name: 'Debian' },
      claimId: '',
      memoryMode: 'dbengine',
      historySeconds: 3600,
      healthEnabled: 'auto',
    },
    online,
    firstSeenMs: 1_700_000_000_000,
    lastSeenMs: 1_700_000_100_000,
    stateSinceMs: 1_700_000_000_000,
    peer: '127.0.0.1:40000',
    lastDisconnectReason: online ? '' : 'socket closed',
    charts: 1,
    dimensions: 2,
    firstEntryS: 1_700_000_000,
    lastEntryS: 1_700_000_100,
  };
}

export function cpuChart(): ChartDef {
  return {
    id: 'system.cpu',
    name: 'system.cpu',
    title: 'Total CPU utilization',
    units: 'percentage',
    family: 'cpu',
    context: 'system.cpu',
    chartType: 'stacked',
    priority: 100,
    updateEvery: 1,
    options: '',
    plugin: 'proc.plugin',
    module: '/proc/stat',
    dimensions: [
      { id: 'user', name: 'user', algorithm: 'incremental', multiplier: 1, divisor: 1, options: '' },
      { id: 'system', name: 'system', algorithm: 'incremental', multiplier: 1, divisor: 1, options: '' },
      { id: 'idle', name: 'idle', algorithm: 'incremental', multiplier: 1, divisor: 1, options: 'hidden' },
    ],
    labels: { _collect_plugin: 'proc.plugin' },
    firstEntryS: 1_700_000_001,
    lastEntryS: 1_700_000_010,
  };
}
