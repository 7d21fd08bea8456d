import type { ChartDef, DimensionDef, HostInfo, SampleColumns } from '@tributary/protocol';

export function dimension(id: string, name = id, algorithm = 'absolute', multiplier = 1, divisor = 1): DimensionDef {
  return { id, name, algorithm, multiplier, divisor, options: '' };
}

export function chartDef(p: Partial<ChartDef> & { id: string; dimensions: DimensionDef[] }): ChartDef {
  return {
    name: p.id,
    title: 'Total CPU utilization',
    units: 'percentage',
    family: 'cpu',
    context: p.id,
    chartType: 'stacked',
    priority: 100,
    updateEvery: 1,
    options: '',
    plugin: 'proc.plugin',
    module: '/proc/stat',
    labels: {},
    firstEntryS: 0,
    lastEntryS: 0,
    ...p,
  };
}

export function hostInfo(guid: string, hostname: string, labels: Record<string, string> = {}): HostInfo {
  return {
    machineGuid: guid,
    hostname,
    registryHostname: hostname,
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
    labels,
    claimId: '',
    memoryMode: 'dbengine',
    historySeconds: 3600,
    healthEnabled: 'auto',
  };
}

/** rows: [chartIndex, dimensionIndex, timeS, value, raw collected value (default: none)] */
export function samples(guid: string, rows: [number, number, number, number, number?][]): SampleColumns {
  const n = rows.length;
  const ci = Buffer.alloc(n * 4);
  const di = Buffer.alloc(n * 4);
  const ts = Buffer.alloc(n * 4);
  const vs = Buffer.alloc(n * 8);
  const raw = Buffer.alloc(n * 8);
  rows.forEach(([c, d, t, v, r], i) => {
    ci.writeUInt32LE(c, i * 4);
    di.writeUInt32LE(d, i * 4);
    ts.writeUInt32LE(t, i * 4);
    vs.writeDoubleLE(v, i * 8);
    raw.writeDoubleLE(r ?? NaN, i * 8);
  });
  return { machineGuid: guid, rows: n, chartIndex: ci, dimensionIndex: di, timeS: ts, value: vs, flags: Buffer.alloc(n), collected: raw };
}
