import type { ChartDef, DimensionDef, HostInfo, Variable } from '@tributary/protocol';
import { Series } from './series';

export const PERSISTED_MODES = new Set(['save', 'map', 'dbengine']);

export interface HostRec {
  id: number;
  guid: string;
  info: HostInfo;
  infoKey: string;
  online: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  stateSinceMs: number;
  peer: string;
  lastDisconnectReason: string;
  charts: Map<string, ChartRec>;
  variables: Map<string, Variable>;
  /** Whether this host's samples go to PostgreSQL (save/map/dbengine). */
  persisted: boolean;
  /** Whether samples are kept at all (not memory mode none). */
  stores: boolean;
  historyS: number;
}

export interface ChartRec {
  id: number;
  host: HostRec;
  def: ChartDef;
  defKey: string;
  dims: DimRec[];
  obsolete: boolean;
  updateEvery: number;
  /** Write bookkeeping: the last sample batch that used this chart (collects distinct charts without a Set). */
  seenInBatch: number;
}

export interface DimRec {
  id: number;
  chart: ChartRec;
  def: DimensionDef;
  series: Series;
}
