export const enum Algorithm {
  Absolute = 0,
  Incremental = 1,
  PercentOfAbsoluteRow = 2,
  PercentOfIncrementalRow = 3,
}

export function parseAlgorithm(s: string): Algorithm {
  switch (s) {
    case 'incremental': return Algorithm.Incremental;
    case 'percentage-of-absolute-row': return Algorithm.PercentOfAbsoluteRow;
    case 'percentage-of-incremental-row': return Algorithm.PercentOfIncrementalRow;
    default: return Algorithm.Absolute; // Netdata maps unknown names to absolute
  }
}
