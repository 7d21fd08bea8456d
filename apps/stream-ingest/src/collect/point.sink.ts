/**
 * Where stored points go: one call per stored point, no objects. `collected` is the raw value (SET) of the
 * collection that produced the point, NaN when there is none.
 */
export interface PointSink {
  point(chartIndex: number, dimensionIndex: number, timeS: number, value: number, flags: number, collected: number): void;
}

export const FLAG_RESET = 1;
