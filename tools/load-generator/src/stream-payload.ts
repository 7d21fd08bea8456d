import { compressSync } from 'lz4-napi';
import {
  LZ4_FRAME_HEADER, serializeChart, serializeChartDefinitionEnd, serializeDimension, writeLz4FrameHeader,
} from '@tributary/protocol';

/** Input per frame, below the 16 KiB the parent accepts even for incompressible data. */
const PIECE = 16000;

/**
 * Frames that reference nothing but themselves: valid whatever the receiver's history holds, so one precomputed set
 * serves every synthetic child (the parent still runs its full decoder with its 64 KiB history on them).
 */
export function lz4Frames(plain: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < plain.length; at += PIECE) {
    const c = compressSync(plain.subarray(at, Math.min(plain.length, at + PIECE)));
    const n = c.length - 4;
    const f = Buffer.allocUnsafe(LZ4_FRAME_HEADER + n);
    writeLz4FrameHeader(f, 0, n);
    c.copy(f, LZ4_FRAME_HEADER, 4);
    parts.push(f);
  }
  return Buffer.concat(parts);
}

export interface Shape {
  charts: number;
  dims: number;
  /** seconds between collections (the charts' update every); 1 unless given */
  updateEvery?: number;
}

export const chartId = (c: number) => `synthetic.chart${c}`;

export function definitions(shape: Shape, now: number): string {
  let s = '';
  for (let c = 0; c < shape.charts; c++) {
    s += serializeChart({ id: chartId(c), title: `synthetic ${c}`, units: 'value', family: 'synthetic', context: 'synthetic.values', chartType: 'line', priority: 1000 + c, updateEvery: shape.updateEvery ?? 1 });
    for (let d = 0; d < shape.dims; d++) s += serializeDimension({ id: `d${d}`, algorithm: d % 4 === 3 ? 'incremental' : 'absolute', multiplier: 1, divisor: 1 });
    s += serializeChartDefinitionEnd(now - 3600, now - 1, now);
  }
  return s;
}

/** `collections` consecutive collections of every chart (update every apart on the child's clock), from counter k0. */
export function collections(shape: Shape, k0: number, count: number): Buffer {
  const lines: string[] = [];
  const us = (shape.updateEvery ?? 1) * 1_000_000;
  for (let k = k0; k < k0 + count; k++) {
    for (let c = 0; c < shape.charts; c++) {
      lines.push(`BEGIN "${chartId(c)}" ${us}`);
      for (let d = 0; d < shape.dims; d++) {
        // Incremental dimensions only grow; absolute ones wander.
        const v = d % 4 === 3 ? k * (d + 1) * 100 : ((k * 7919 + d * 104729) % 1000003) - 1000;
        lines.push(`SET "d${d}" = ${v}`);
      }
      lines.push('END');
    }
  }
  return Buffer.from(lines.join('\n') + '\n');
}
