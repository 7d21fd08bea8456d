import { ChartDef } from '@tributary/protocol';
import { PeerClients } from '../grpc/peer.clients';
import { decodeQueryResponse } from '../data/query.result';

export interface ChartLatest {
  /** unix seconds of the newest stored point, 0 when none */
  lastUpdated: number;
  /** newest stored value per dimension of ChartDef.dimensions (NaN = none) */
  values: Float64Array;
}

/** Concurrent store queries per allmetrics request: enough to hide latency, not enough to flood metric-store. */
const PARALLEL = 8;

/** The newest stored value of every dimension of every given chart (one small Query per chart). */
export async function latestValues(peers: PeerClients, hostGuid: string, charts: ChartDef[]): Promise<Map<string, ChartLatest>> {
  const out = new Map<string, ChartLatest>();
  let next = 0;
  const worker = async () => {
    while (next < charts.length) {
      const chart = charts[next++];
      const every = chart.updateEvery || 1;
      const res = await peers.query({
        host: hostGuid,
        chart: chart.id,
        after: -3 * every,
        before: 0,
        points: 0,
        group: 'average',
        dimensions: [],
        groupTime: 0,
        guidOnly: true,
      });
      const r = decodeQueryResponse(res);
      const dims = r.dimensionIds.length;
      const values = new Float64Array(chart.dimensions.length).fill(NaN);
      let lastUpdated = 0;
      chart.dimensions.forEach((d, i) => {
        const col = r.dimensionIds.indexOf(d.id);
        if (col < 0) return;
        for (let row = r.rows - 1; row >= 0; row--) {
          const v = r.values[row * dims + col];
          if (!Number.isNaN(v)) {
            values[i] = v;
            if (r.times[row] > lastUpdated) lastUpdated = r.times[row];
            break;
          }
        }
      });
      out.set(chart.id, { lastUpdated: lastUpdated || res.lastEntryS, values });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, charts.length) }, worker));
  return out;
}
