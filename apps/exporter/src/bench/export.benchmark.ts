// npm run bench:export - points/s per connector: batch formatting (walk + format + compress) and end to end
// (plus the send to a loopback receiver that discards, answering 204 for HTTP connectors).
import { createServer, type Server } from 'node:net';
import type { ChartDef, SampleColumns } from '@tributary/protocol';
import { parseExportingConf } from '../config/exporting-conf.parser';
import { ExportConnector, formatterFor } from '../connector/export.connector';
import { DEFAULT_RING_SLOTS, HostRegistry } from '../model/host.registry';
import { walkBatch } from '../model/batch.walker';
import { SimplePattern } from '@tributary/simple-patterns';

const HOSTS = 20;
const CHARTS = 50;
const DIMS = 10;
const SECONDS = 30;
const T0 = 1_700_000_000;

function chart(c: number): ChartDef {
  return {
    id: `bench.chart_${c}`,
    name: `bench.chart_${c}`,
    title: 'bench',
    units: c % 2 ? 'KiB/s' : 'percentage',
    family: `family${c % 7}`,
    context: `bench.context_${c % 10}`,
    chartType: 'line',
    priority: c,
    updateEvery: 1,
    options: '',
    plugin: 'bench.plugin',
    module: '',
    dimensions: Array.from({ length: DIMS }, (_, d) => ({
      id: `dim_${d}`,
      name: `dim_${d}`,
      algorithm: d % 2 ? 'incremental' : 'absolute',
      multiplier: 1,
      divisor: 1,
      options: '',
    })),
    labels: {},
    firstEntryS: 0,
    lastEntryS: 0,
  };
}

function columns(guid: string, t: number): SampleColumns {
  const rows = CHARTS * DIMS;
  const ci = Buffer.alloc(rows * 4);
  const di = Buffer.alloc(rows * 4);
  const ts = Buffer.alloc(rows * 4);
  const vs = Buffer.alloc(rows * 8);
  const raw = Buffer.alloc(rows * 8);
  let i = 0;
  for (let c = 0; c < CHARTS; c++) {
    for (let d = 0; d < DIMS; d++, i++) {
      ci.writeUInt32LE(c, i * 4);
      di.writeUInt32LE(d, i * 4);
      ts.writeUInt32LE(t, i * 4);
      vs.writeDoubleLE(((c * 31 + d * 7 + t) % 1000) / 7, i * 8);
      raw.writeDoubleLE(1000 * t + c * 31 + d, i * 8);
    }
  }
  return { machineGuid: guid, rows, chartIndex: ci, dimensionIndex: di, timeS: ts, value: vs, flags: Buffer.alloc(rows), collected: raw };
}

function registry(): { r: HostRegistry; ingestRowsPerS: number } {
  const r = new HostRegistry();
  const batches: SampleColumns[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const guid = `guid-${h}`;
    r.applyHost({
      machineGuid: guid, hostname: `host-${h}`, registryHostname: '', os: 'linux', timezone: 'UTC', abbrevTimezone: 'UTC', utcOffset: 0,
      hops: 1, programName: 'netdata', programVersion: 'v1.37.1', updateEvery: 1, tags: '', systemInfo: {}, labels: { env: 'bench' },
      claimId: '', memoryMode: 'dbengine', historySeconds: 3600, healthEnabled: 'auto',
    });
    for (let c = 0; c < CHARTS; c++) r.applyChart({ machineGuid: guid, chartIndex: c, chart: chart(c) });
    for (let t = T0 - SECONDS; t <= T0; t++) batches.push(columns(guid, t));
  }
  const start = process.hrtime.bigint();
  let rows = 0;
  for (const b of batches) rows += r.applySamples(b);
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  return { r, ingestRowsPerS: rows / s };
}

function sink(http: boolean): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    // Only the head is buffered; body bytes are counted, so the receiver costs little next to the exporter.
    let head = '';
    let bodyLeft = -1;
    sock.on('error', () => undefined);
    sock.on('data', (b: Buffer) => {
      if (!http) return;
      let off = 0;
      while (off < b.length) {
        if (bodyLeft < 0) {
          const chunk = b.subarray(off, Math.min(b.length, off + 4096)).toString('latin1');
          const end = (head + chunk).indexOf('\r\n\r\n');
          if (end < 0) {
            head += chunk;
            off += chunk.length;
            continue;
          }
          const consumed = end + 4 - head.length;
          const m = /Content-Length: (\d+)/.exec((head + chunk).slice(0, end));
          bodyLeft = Number(m?.[1] ?? 0);
          head = '';
          off += consumed;
        }
        const take = Math.min(bodyLeft, b.length - off);
        bodyLeft -= take;
        off += take;
        if (bodyLeft === 0) {
          bodyLeft = -1;
          sock.write('HTTP/1.1 204 No Content\r\n\r\n');
        }
      }
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as { port: number }).port })));
}

const CONNECTORS: [string, boolean, string][] = [
  ['graphite', false, ''],
  ['opentsdb', false, ''],
  ['opentsdb:http', true, ''],
  ['json', false, ''],
  ['json:http', true, ''],
  ['prometheus_remote_write', true, 'remote write URL path = /api/v1/write\n'],
];

async function main(): Promise<void> {
  const { r, ingestRowsPerS } = registry();
  const dims = HOSTS * CHARTS * DIMS;
  console.log(`exporter bench: ${HOSTS} hosts x ${CHARTS} charts x ${DIMS} dims = ${dims} dimensions, ${SECONDS + 1} s of history`);
  console.log(`subscription samples into rings: ${Math.round(ingestRowsPerS).toLocaleString('en-US')} samples/s`);
  // times (u32) + values (f64) per slot, plus last time/value, first time and the obsolete flag per dimension.
  const ringBytes = DEFAULT_RING_SLOTS * 12 + 4 + 8 + 4 + 1;
  console.log(`memory: ${ringBytes} bytes of ring per dimension (${DEFAULT_RING_SLOTS} slots)`);
  for (const source of ['average', 'as collected']) {
    console.log(`\n-- data source = ${source}`);
    for (const [type, http, extra] of CONNECTORS) {
      const { server, port } = await sink(http);
      const conf = `[${type}:b]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = ${source}\nupdate every = 10\nbuffer on failures = 100\n${extra}`;
      const settings = parseExportingConf(conf).connectors[0];
      // formatting only
      const f = formatterFor(settings);
      const opts = {
        dataSource: settings.dataSource,
        hosts: SimplePattern.compile('*'),
        charts: SimplePattern.compile('*'),
        sendConfiguredLabels: true,
        sendAutomaticLabels: false,
        skipStaleCollected: false,
      };
      const rounds = 10;
      // Warm up the JIT, then keep the best of 3 runs: the machine is shared, the best run is the code's speed.
      walkBatch(r, opts, f, T0 - 12, T0, Date.now());
      f.finish();
      let points = 0;
      let bytes = 0;
      let fmtS = Infinity;
      for (let run = 0; run < 3; run++) {
        points = 0;
        bytes = 0;
        const start = process.hrtime.bigint();
        for (let i = 0; i < rounds; i++) {
          points += walkBatch(r, opts, f, T0 - 12, T0, Date.now());
          bytes += f.finish().length;
        }
        fmtS = Math.min(fmtS, Number(process.hrtime.bigint() - start) / 1e9);
      }
      // end to end: build, queue, send, acknowledged
      // Each round first stores 10 new seconds (not timed), so every batch has a full window of fresh points.
      const { r: live } = registry();
      const c = new ExportConnector(settings, live, T0 - 12);
      let sent = 0;
      let e2eS = 0;
      for (let i = 0; i < rounds; i++) {
        if (i > 0) for (let h = 0; h < HOSTS; h++) for (let t = 1; t <= 10; t++) live.applySamples(columns(`guid-${h}`, T0 + (i - 1) * 10 + t));
        const t0 = process.hrtime.bigint();
        sent += c.produce(T0 + i * 10);
        await c.drained();
        e2eS += Number(process.hrtime.bigint() - t0) / 1e9;
      }
      const st = c.status();
      await c.stop();
      server.close();
      const fmt = Math.round(points / fmtS).toLocaleString('en-US');
      const e2e = Math.round(st.sentPoints / e2eS).toLocaleString('en-US');
      console.log(
        `${type.padEnd(24)} format ${fmt.padStart(11)} points/s   format+send ${e2e.padStart(11)} points/s   ` +
          `${(bytes / points).toFixed(1)} bytes/point   (${sent} points in ${rounds} batches, ${st.failedBatches} failed)`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
