import { isGuid, parseHealthEnabled, parseNetdataBoolean, parseNetdataDuration } from './netdata-values';

describe('Netdata value vocabularies', () => {
  it.each([
    ['yes', true], ['YES', true], ['true', true], ['on', true], ['auto', true], ['on demand', true], ['On Demand', true],
    ['no', false], ['false', false], ['off', false], ['NO', false],
  ])('boolean %j -> %s', (text, expected) => {
    expect(parseNetdataBoolean(text)).toBe(expected);
  });

  it.each(['1', '0', 'maybe', '', 'yess'])('boolean %j is rejected', (text) => {
    expect(parseNetdataBoolean(text)).toBeUndefined();
  });

  it.each([
    ['yes', 'yes'], ['true', 'yes'], ['on', 'yes'], ['no', 'no'], ['off', 'no'], ['auto', 'auto'], ['on demand', 'auto'],
  ])('health enabled %j -> %s', (text, expected) => {
    expect(parseHealthEnabled(text)).toBe(expected);
  });

  it('rejects other health enabled values', () => {
    expect(parseHealthEnabled('sometimes')).toBeUndefined();
  });

  it.each([
    ['10', 10], ['10s', 10], ['-10s', -10], ['5m', 300], ['1h', 3600], ['2d', 172800], ['1w', 604800], ['1M', 2592000],
    ['1y', 31536000], ['+3m', 180], ['1.5m', 90],
  ])('duration %j -> %d s', (text, seconds) => {
    expect(parseNetdataDuration(text)).toBe(seconds);
  });

  it.each(['', 'ten', '10x', '-', '5 m'])('duration %j is rejected', (text) => {
    expect(parseNetdataDuration(text)).toBeUndefined();
  });

  it('recognises GUIDs in any case', () => {
    expect(isGuid('11111111-2222-3333-4444-555555555555')).toBe(true);
    expect(isGuid('ABCDEFAB-2222-3333-4444-555555555555')).toBe(true);
    expect(isGuid('11111111-2222-3333-4444-55555555555')).toBe(false);
    expect(isGuid('API_KEY')).toBe(false);
  });
});
