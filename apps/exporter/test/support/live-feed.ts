import type { SubscribeEvent } from '@tributary/protocol';
import { chartDef, dimension, hostInfo, samples } from './fixtures';
import type { FakeMetricStore } from './fake-metric-store';

/** system.cpu of one child, stored value a known function of time, so every exported value can be recomputed. */
export const user = (t: number): number => (t % 50) + 0.25;
export const system = (_t: number): number => 2.5;
/** The raw collected counters behind them (as-collected exports these): integers, distinct from the stored values. */
export const userRaw = (t: number): number => 1_000_000 + 7 * t;
export const systemRaw = (t: number): number => 500_000 + 3 * t;

export const CHART_INDEX = 5;

export function topology(guid: string, hostname: string): SubscribeEvent[] {
  return [
    { event: { $case: 'host', host: hostInfo(guid, hostname, { env: 'lab' }) } },
    {
      event: {
        $case: 'chart',
        chart: {
          machineGuid: guid,
          chartIndex: CHART_INDEX,
          chart: chartDef({
            id: 'system.cpu',
            dimensions: [dimension('user', 'user', 'percentage-of-incremental-row'), dimension('system', 'system', 'percentage-of-incremental-row')],
          }),
        },
      },
    },
  ];
}

/** Replays topology + `historyS` seconds on every subscription, then pushes one point per second. */
export function feedLive(store: FakeMetricStore, guid: string, hostname: string, historyS = 30): () => void {
  let last = Math.floor(Date.now() / 1000);
  const rowsFor = (from: number, to: number): [number, number, number, number, number][] => {
    const rows: [number, number, number, number, number][] = [];
    for (let t = from; t <= to; t++) rows.push([CHART_INDEX, 0, t, user(t), userRaw(t)], [CHART_INDEX, 1, t, system(t), systemRaw(t)]);
    return rows;
  };
  store.onSubscribe = (call) => {
    for (const ev of topology(guid, hostname)) call.write(ev);
    call.write({ event: { $case: 'samples', samples: samples(guid, rowsFor(last - historyS, last)) } });
  };
  const timer = setInterval(() => {
    const now = Math.floor(Date.now() / 1000);
    if (now > last) {
      store.push({ event: { $case: 'samples', samples: samples(guid, rowsFor(last + 1, now)) } });
      last = now;
    }
  }, 250);
  return () => clearInterval(timer);
}

/** Expected value of an exported window (prevTs, ts] of `f`. */
export function windowValue(f: (t: number) => number, prevTs: number, ts: number, sum: boolean): number {
  let s = 0;
  for (let t = prevTs + 1; t <= ts; t++) s += f(t);
  return sum ? s : s / (ts - prevTs);
}
