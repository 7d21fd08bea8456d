import type { ChartRec, HostRec } from '../model/topology';

/** What one Write call declared: its chart indexes and the hosts it brought online. */
export class WriteCallState {
  charts: (ChartRec | undefined)[] = [];
  readonly onlineHosts = new Set<HostRec>();
  constructor(readonly peer: string) {}
}
