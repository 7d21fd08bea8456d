// Parses a `lookup:` line: METHOD AFTER [at BEFORE] [every D] [options...] [of DIMENSIONS].
import { parseDuration } from '../definition/duration.parser';
import { LookupMethod, LookupSpec } from '../definition/health-definition';

const METHODS: Record<string, LookupMethod> = {
  average: 'average',
  mean: 'average',
  avg: 'average',
  min: 'min',
  max: 'max',
  sum: 'sum',
  'incremental-sum': 'incremental-sum',
  incremental_sum: 'incremental-sum',
  median: 'median',
  stddev: 'stddev',
  cv: 'cv',
  rsd: 'cv',
  'coefficient-of-variation': 'cv',
  ses: 'ses',
  ema: 'ses',
  ewma: 'ses',
  des: 'des',
};

export function parseLookup(text: string): LookupSpec {
  const words = text.trim().split(/\s+/);
  const methodWord = (words.shift() ?? '').toLowerCase();
  const method = METHODS[methodWord];
  if (!method) throw new Error(`unknown lookup method '${methodWord}'`);
  const afterWord = words.shift();
  if (afterWord === undefined) throw new Error('lookup needs a duration after the method');
  const after = parseDuration(afterWord);
  if (Number.isNaN(after)) throw new Error(`bad lookup duration '${afterWord}'`);
  let before = 0;
  let unaligned = false;
  let absolute = false;
  let percentage = false;
  let min2max = false;
  let null2zero = false;
  let matchIds = false;
  let matchNames = false;
  let dimensions = '';
  while (words.length) {
    const w = words.shift() as string;
    switch (w) {
      case 'at': {
        const b = words.shift() ?? '';
        before = parseDuration(b);
        if (Number.isNaN(before)) throw new Error(`bad lookup 'at' duration '${b}'`);
        break;
      }
      case 'every':
        words.shift();
        break;
      case 'unaligned':
        unaligned = true;
        break;
      case 'abs':
      case 'absolute':
      case 'absolute_sum':
      case 'absolute-sum':
        absolute = true;
        break;
      case 'percentage':
        percentage = true;
        break;
      case 'min2max':
        min2max = true;
        break;
      case 'null2zero':
        null2zero = true;
        break;
      case 'match-ids':
        matchIds = true;
        break;
      case 'match-names':
        matchNames = true;
        break;
      case 'of':
        dimensions = words.join(' ').replace(/,/g, ' ').trim();
        words.length = 0;
        break;
      case 'foreach':
        throw new Error("lookup 'foreach' is not supported");
      default:
        throw new Error(`unknown lookup option '${w}'`);
    }
  }
  return {
    method,
    after: after > 0 ? -after : after,
    before: before > 0 ? -before : before,
    unaligned,
    absolute,
    percentage,
    min2max,
    null2zero,
    matchIds: matchIds || !matchNames,
    matchNames: matchNames || !matchIds,
    dimensions,
    source: text.trim(),
  };
}
