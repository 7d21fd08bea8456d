// An in-process MetricStore gRPC server that plays one host with a system.cpu chart and lets the test set what
// the "child" reports each second. Used until the real metric-store can be started by the test.
import { Server, ServerCredentials, ServerWritableStream, status } from '@grpc/grpc-js';
import { ChartDef, HostInfo, MetricStoreServer, QueryRequest, MetricStoreService, SubscribeEvent, SubscribeRequest } from '@tributary/protocol';

export const FAKE_GUID = '7a4b2c1d-0000-4000-8000-00000000c0de';

export class FakeMetricStore {
  private readonly server = new Server();
  private readonly streams = new Set<ServerWritableStream<SubscribeRequest, SubscribeEvent>>();
  private timer: NodeJS.Timeout | null = null;
  user = 10;
  historyUser = 99;
  readonly queries: QueryRequest[] = [];
  connected = true;
  port = 0;

  readonly host: HostInfo = {
    machineGuid: FAKE_GUID,
    hostname: 'fakechild',
    registryHostname: 'fakechild',
    os: 'linux',
    timezone: 'UTC',
    abbrevTimezone: 'UTC',
    utcOffset: 0,
    hops: 1,
    programName: 'netdata',
    programVersion: 'v1.37.1',
    updateEvery: 1,
    tags: '',
    systemInfo: {},
    labels: {},
    claimId: '',
    memoryMode: 'dbengine',
    historySeconds: 3600,
    healthEnabled: 'yes',
  };

  readonly chart: ChartDef = {
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
    dimensions: ['user', 'system', 'idle'].map((id) => ({ id, name: id, algorithm: 'incremental', multiplier: 1, divisor: 1, options: '' })),
    labels: {},
    firstEntryS: 0,
    lastEntryS: 0,
  };

  async start(): Promise<void> {
    const impl: Partial<MetricStoreServer> = {
      subscribe: (call) => {
        this.streams.add(call);
        call.on('cancelled', () => this.streams.delete(call));
        call.on('close', () => this.streams.delete(call));
        call.write({ event: { $case: 'host', host: this.host } });
        call.write({ event: { $case: 'chart', chart: { machineGuid: FAKE_GUID, chartIndex: 0, chart: this.chart } } });
        call.write({
          event: { $case: 'state', state: { machineGuid: FAKE_GUID, connected: this.connected, atMs: Date.now(), reason: '', graceful: true, peer: '127.0.0.1:1', ingestId: 'fake' } },
        });
      },
      // a minute of history ending 10 s ago: user at `historyUser`, so a lookup can only see it through this backfill
      query: (call, cb) => {
        const rows = 60;
        const now = Math.floor(Date.now() / 1000) - 10;
        const t = Buffer.alloc(rows * 4);
        const v = Buffer.alloc(rows * 3 * 8);
        for (let r = 0; r < rows; r++) {
          t.writeUInt32LE(now - rows + r, r * 4);
          [this.historyUser, 1, 100 - this.historyUser - 1].forEach((x, d) => v.writeDoubleLE(x, (r * 3 + d) * 8));
        }
        this.queries.push(call.request);
        cb(null, {
          machineGuid: FAKE_GUID,
          chartId: 'system.cpu',
          dimensionIds: ['user', 'system', 'idle'],
          dimensionNames: ['user', 'system', 'idle'],
          after: now - rows,
          before: now - 1,
          updateEvery: 1,
          rows,
          timeS: t,
          values: v,
          firstEntryS: now - rows,
          lastEntryS: now - 1,
        });
      },
    };
    const unimplemented = () => (_c: unknown, cb: (e: { code: number }) => void) => cb({ code: status.UNIMPLEMENTED });
    this.server.addService(MetricStoreService, {
      write: () => undefined,
      listHosts: unimplemented(),
      listCharts: unimplemented(),
      getStatus: unimplemented(),
      ...impl,
    } as unknown as MetricStoreServer);
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    this.timer = setInterval(() => this.emit(), 1000);
  }

  /** One point per dimension for the current second. */
  private emit(): void {
    if (!this.connected) return;
    const t = Math.floor(Date.now() / 1000);
    const values = [this.user, 2, 100 - this.user - 2];
    const ci = Buffer.alloc(12);
    const di = Buffer.alloc(12);
    const ts = Buffer.alloc(12);
    const vs = Buffer.alloc(24);
    for (let i = 0; i < 3; i++) {
      di.writeUInt32LE(i, i * 4);
      ts.writeUInt32LE(t, i * 4);
      vs.writeDoubleLE(values[i], i * 8);
    }
    for (const s of this.streams)
      s.write({
        event: { $case: 'samples', samples: { machineGuid: FAKE_GUID, rows: 3, chartIndex: ci, dimensionIndex: di, timeS: ts, value: vs, flags: Buffer.alloc(3), collected: Buffer.alloc(0) } },
      });
  }

  disconnect(graceful: boolean): void {
    this.connected = false;
    for (const s of this.streams)
      s.write({
        event: { $case: 'state', state: { machineGuid: FAKE_GUID, connected: false, atMs: Date.now(), reason: graceful ? 'closed' : 'socket error', graceful, peer: '', ingestId: 'fake' } },
      });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.streams) s.end();
    await new Promise<void>((r) => this.server.tryShutdown(() => r()));
  }
}
