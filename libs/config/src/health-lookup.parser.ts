import { HealthLookup, HealthLookupOption } from './health.types';
import { parseNetdataDuration } from './netdata-values';

/** Grouping methods of the data API that a lookup may name (percentile/trimmed variants may carry a number). */
const METHODS = [
  'average', 'mean', 'median', 'min', 'max', 'sum', 'incremental-sum', 'incremental_sum', 'stddev', 'cv', 'rsd',
  'ses', 'ema', 'ewma', 'des', 'countif',
];
const NUMBERED_METHODS = /^(percentile(25|50|75|80|90|95|97|98|99)?|trimmed-(mean|median)(1|2|3|5|10|15|20|25)?)$/;
/** The name Netdata reports for a method (what /api/v1/alarms shows as lookup_method). */
const CANONICAL: Record<string, string> = {
  mean: 'average',
  'incremental-sum': 'incremental_sum',
  rsd: 'cv',
  ema: 'ses',
  ewma: 'ses',
  percentile: 'percentile95',
  'trimmed-mean': 'trimmed-mean5',
  'trimmed-median': 'trimmed-median5',
};

const FLAGS: Record<string, HealthLookupOption> = {
  unaligned: 'unaligned',
  absolute: 'absolute',
  abs: 'absolute',
  absolute_sum: 'absolute',
  min2max: 'min2max',
  null2zero: 'null2zero',
  percentage: 'percentage',
  'anomaly-bit': 'anomaly-bit',
  'match-ids': 'match-ids',
  match_ids: 'match-ids',
  'match-names': 'match-names',
  match_names: 'match-names',
};

/**
 * health_parse_db_lookup(): the method, the `after` duration, then keywords in any order; `of` takes the rest of the
 * line up to an optional ` foreach`, and `foreach` takes the rest. Returns the lookup or the reason it is invalid.
 */
export function parseHealthLookup(text: string): HealthLookup | string {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return 'is empty';
  const written = words[0].toLowerCase();
  if (!METHODS.includes(written) && !NUMBERED_METHODS.test(written)) return `has an invalid group method '${words[0]}'`;
  const method = CANONICAL[written] ?? written;
  if (words.length < 2) return `has no duration after the group method '${words[0]}'`;
  const after = parseNetdataDuration(words[1]);
  if (after === undefined) return `has an invalid duration '${words[1]}' after the group method`;

  let before = 0;
  let every: number | undefined;
  const options: HealthLookupOption[] = [];
  let dimensions: string | undefined;
  let foreach: string | undefined;

  for (let i = 2; i < words.length; i++) {
    const key = words[i].toLowerCase();
    if (key === 'at' || key === 'every') {
      const value = words[++i];
      const d = value === undefined ? undefined : parseNetdataDuration(value);
      if (d === undefined) return `has an invalid duration '${value ?? ''}' for '${words[i - 1]}'`;
      if (key === 'at') before = d;
      else every = d;
    } else if (FLAGS[key] !== undefined) {
      if (!options.includes(FLAGS[key])) options.push(FLAGS[key]);
    } else if (key === 'of') {
      const rest = words.slice(i + 1);
      const fe = rest.findIndex((w) => w.toLowerCase() === 'foreach');
      const dims = (fe < 0 ? rest : rest.slice(0, fe)).join(' ');
      if (dims !== '' && dims.toLowerCase() !== 'all') dimensions = dims;
      if (fe >= 0) foreach = rest.slice(fe + 1).join(' ');
      break;
    } else if (key === 'foreach') {
      foreach = words.slice(i + 1).join(' ');
      break;
    } else {
      return `has an unknown keyword '${words[i]}'`;
    }
  }

  return {
    method,
    after,
    before,
    every,
    options,
    unaligned: options.includes('unaligned'),
    percentage: options.includes('percentage'),
    absolute: options.includes('absolute'),
    min2max: options.includes('min2max'),
    dimensions,
    foreach,
  };
}
