/** Where stored points go: one call per stored point, no objects. */
export interface PointSink {
  point(chartIndex: number, dimensionIndex: number, timeS: number, value: number, flags: number): void;
}

export const FLAG_RESET = 1;
