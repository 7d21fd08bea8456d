import { parseHealthLookup } from './health-lookup.parser';

describe('parseHealthLookup', () => {
  it('parses method, after and the defaults', () => {
    expect(parseHealthLookup('average -10m')).toEqual({
      method: 'average', after: -600, before: 0, every: undefined, options: [], unaligned: false, percentage: false,
      absolute: false, min2max: false, dimensions: undefined, foreach: undefined,
    });
  });

  it('parses at, every, every flag and of DIMS', () => {
    expect(parseHealthLookup('sum -1m at -30s every 10s unaligned absolute percentage min2max null2zero of user,system')).toMatchObject({
      method: 'sum', after: -60, before: -30, every: 10,
      options: ['unaligned', 'absolute', 'percentage', 'min2max', 'null2zero'],
      unaligned: true, absolute: true, percentage: true, min2max: true, dimensions: 'user,system',
    });
  });

  it('keeps `of` with spaces and splits off foreach', () => {
    expect(parseHealthLookup('max -1m of in out foreach *')).toMatchObject({ dimensions: 'in out', foreach: '*' });
    expect(parseHealthLookup('min -1m foreach a b')).toMatchObject({ dimensions: undefined, foreach: 'a b' });
    expect(parseHealthLookup('min -1m of all')).toMatchObject({ dimensions: undefined });
  });

  it.each([
    ['abs', 'absolute'], ['absolute_sum', 'absolute'], ['match-ids', 'match-ids'], ['match_names', 'match-names'], ['anomaly-bit', 'anomaly-bit'],
  ])('accepts flag %s', (flag, option) => {
    expect(parseHealthLookup(`average -1m ${flag}`)).toMatchObject({ options: [option] });
  });

  it.each([
    ['incremental-sum', 'incremental_sum'], ['incremental_sum', 'incremental_sum'], ['mean', 'average'], ['median', 'median'],
    ['stddev', 'stddev'], ['cv', 'cv'], ['rsd', 'cv'], ['ses', 'ses'], ['ema', 'ses'], ['ewma', 'ses'], ['des', 'des'],
    ['percentile95', 'percentile95'], ['percentile', 'percentile95'], ['percentile25', 'percentile25'],
    ['trimmed-mean5', 'trimmed-mean5'], ['trimmed-mean', 'trimmed-mean5'], ['trimmed-median', 'trimmed-median5'],
    ['trimmed-median20', 'trimmed-median20'], ['countif', 'countif'], ['MAX', 'max'],
  ])('accepts method %s as %s', (m, canonical) => {
    expect(parseHealthLookup(`${m} -1m`)).toMatchObject({ method: canonical });
  });

  it.each([
    ['', 'is empty'],
    ['avg -1m', "has an invalid group method 'avg'"],
    ['percentile42 -1m', "has an invalid group method 'percentile42'"],
    ['trimmed-mean4 -1m', "has an invalid group method 'trimmed-mean4'"],
    ['average', "has no duration after the group method 'average'"],
    ['average ten', "has an invalid duration 'ten' after the group method"],
    ['average -1m at', "has an invalid duration '' for 'at'"],
    ['average -1m at soon', "has an invalid duration 'soon' for 'at'"],
    ['average -1m every x', "has an invalid duration 'x' for 'every'"],
    ['average -1m aligned', "has an unknown keyword 'aligned'"],
  ])('rejects %j', (text, reason) => {
    expect(parseHealthLookup(text)).toBe(reason);
  });
});
