import type { ChartRec, HostRec } from '../model/topology';

/**
 * What one Write call declared: its chart indexes, per host (a writer may number each child's charts from 0 on
 * the same call), the hosts it brought online, who the writer is and whether a batch of the call was refused.
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
  /** the first refused batch of this call; 0 while none was */
  refusedBatch = 0;
  /** @param writer the writer's own id (`tributary-writer-id` metadata); '' when it sent none */
  constructor(
    readonly peer: string,
    readonly writer = '',
  ) {}
}
