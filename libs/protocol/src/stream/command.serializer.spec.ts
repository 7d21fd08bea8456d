import { tokenizeString } from './line.tokenizer';
import { formatDouble, serializeChart, serializeDimension, serializeREnd, serializeReplayChart, serializeRSet, serializeSet } from './command.serializer';

describe('command serializers', () => {
  it('writes REPLAY_CHART like a 1.37 parent', () => {
    expect(serializeReplayChart('system.cpu', true, 0, 0)).toBe('REPLAY_CHART "system.cpu" "true" 0 0\n');
    expect(serializeReplayChart('a.b', false, 10, 20)).toBe('REPLAY_CHART "a.b" "false" 10 20\n');
  });

  it('writes a CHART line the tokenizer reads back, bare name re-prefixed by the parent', () => {
    const line = serializeChart({ id: 'plain.x', name: 'plain.myname', title: 'T "q"', units: 'u', family: 'f', context: 'c', chartType: 'line', priority: 1000, updateEvery: 1 });
    expect(tokenizeString(line.trimEnd())).toEqual(['CHART', 'plain.x', 'myname', 'T _q_', 'u', 'f', 'c', 'line', '1000', '1', '   ', '', '']);
    expect(serializeDimension({ id: 'd', algorithm: 'incremental', multiplier: 1, divisor: 1 })).toBe('DIMENSION "d" "d" "incremental" 1 1 "  "\n');
  });

  it('formats numbers as %lld and %0.7Lf', () => {
    expect(serializeSet('x', 12345)).toBe('SET "x" = 12345\n');
    expect(serializeRSet('up', 1, '')).toBe('RSET "up" 1.0000000 ""\n');
    expect(formatDouble(NaN)).toBe('NAN');
    expect(serializeREnd(1, 10, 20, true, 0, 0, 30)).toBe('REND 1 10 20 true 0 0 30\n');
  });
});
