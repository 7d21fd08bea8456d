import { QueryResponse } from './generated/tributary/v1/metric_store';
import { MetricStoreServiceDefinition, serializeQueryResponse } from './query-response.serializer';

function response(rows: number, cols: number): QueryResponse {
  const times = new Uint32Array(rows).map((_, i) => 1_700_000_000 + i);
  const values = new Float64Array(rows * cols).map((_, i) => (i % 7 === 0 ? NaN : i / 3));
  return {
    machineGuid: 'g', chartId: 'system.cpu', dimensionIds: Array.from({ length: cols }, (_, i) => `d${i}`),
    dimensionNames: Array.from({ length: cols }, (_, i) => `n${i}`), after: 1_700_000_000, before: 1_700_000_000 + rows - 1,
    updateEvery: 1, rows, timeS: Buffer.from(times.buffer), values: Buffer.from(values.buffer), firstEntryS: -5, lastEntryS: 1_700_009_999,
  };
}

describe('QueryResponse fast serializer', () => {
  it.each([[0, 0], [1, 1], [3600, 100], [20000, 3]])('decodes to the same message as the generated encoder (%i rows x %i)', (rows, cols) => {
    const r = response(rows, cols);
    const fast = serializeQueryResponse(r);
    expect(QueryResponse.decode(fast)).toEqual(QueryResponse.decode(QueryResponse.encode(r).finish()));
    expect(fast.length).toBe(QueryResponse.encode(r).finish().length);
  });

  it('is what the MetricStore service definition serializes Query answers with', () => {
    expect(MetricStoreServiceDefinition.query.responseSerialize).toBe(serializeQueryResponse);
    expect(MetricStoreServiceDefinition.write.path).toBe('/tributary.v1.MetricStore/Write');
  });
});
