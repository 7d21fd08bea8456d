/**
 * Metadata key of a MetricStore.Write call naming the writer (one id per writer process): metric-store remembers the
 * batch ids each writer had applied, so a batch resent after a lost ack is not applied twice.
 */
export const WRITER_ID_METADATA = 'tributary-writer-id';
