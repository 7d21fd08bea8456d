import {
  CLABEL_COMMIT_LINE,
  END_LINE,
  OVERWRITE_LABELS_LINE,
  serializeBegin,
  serializeChart,
  serializeChartLabel,
  serializeClaimedId,
  serializeDimension,
  serializeHostLabel,
  serializeSet,
  StreamCapability as C,
  type ChartDef,
  type HostInfo,
} from '@tributary/protocol';
import type { ChartState } from '../collect/chart.state';

// Netdata's label sources: RRDLABEL_SRC_AUTO (1) for what collectors and the agent set (`_` names by convention),
// RRDLABEL_SRC_CONFIG (2) for what the operator configured.
const SRC_AUTO = 1;
const SRC_CONFIG = 2;

export function chartLabelLines(def: ChartDef, caps: number): string {
  if (!(caps & C.CLABELS)) return '';
  let out = '';
  for (const [k, v] of Object.entries(def.labels)) out += serializeChartLabel(k, v, SRC_AUTO);
  return out + CLABEL_COMMIT_LINE;
}

/** A chart as the next parent must learn it: CHART, every DIMENSION, its labels. */
export function chartDefinitionLines(def: ChartDef, caps: number): string {
  let out = serializeChart(def);
  for (const d of def.dimensions) out += serializeDimension(d);
  return out + chartLabelLines(def, caps);
}

export function hostLabelLines(host: HostInfo, caps: number): string {
  if (!(caps & C.HLABELS) || Object.keys(host.labels).length === 0) return '';
  let out = '';
  for (const [k, v] of Object.entries(host.labels)) out += serializeHostLabel(k, k.startsWith('_') ? SRC_AUTO : SRC_CONFIG, v);
  return out + OVERWRITE_LABELS_LINE;
}

export function claimLine(host: HostInfo, caps: number): string {
  return caps & C.CLAIM && host.claimId ? serializeClaimedId(host.machineGuid, host.claimId) : '';
}

/** One collection as the child sent it (raw collected values), for the dimensions it updated; call before done(). */
export function collectionLines(st: ChartState): string {
  let out = serializeBegin(st.id, st.usecSinceLastUpdate);
  for (const d of st.dims) if (d.updated) out += serializeSet(d.id, d.collected);
  return out + END_LINE;
}
