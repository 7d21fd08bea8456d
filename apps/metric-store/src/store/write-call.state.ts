import type { ChartRec, HostRec } from '../model/topology';

/**
 * What one Write call declared: its chart indexes, per host (a writer may number each child's charts from 0 on
 * the same call), and the hosts it brought online.
 */
export class WriteCallState {
  private readonly chartsByHost = new Map<string, (ChartRec | undefined)[]>();

  charts(guid: string): (ChartRec | undefined)[] {
    let list = this.chartsByHost.get(guid);
    if (!list) {
      list = [];
      this.chartsByHost.set(guid, list);
    }
    return list;
  }

  readonly onlineHosts = new Set<HostRec>();
  constructor(readonly peer: string) {}
}
