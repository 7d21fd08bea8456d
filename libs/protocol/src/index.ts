export * from './grpc/generated/tributary/v1/model';
export * from './grpc/generated/tributary/v1/metric_store';
export * from './grpc/generated/tributary/v1/stream_ingest';
export * from './grpc/generated/tributary/v1/health';
export * from './grpc/generated/tributary/v1/exporter';
export * from './stream';
export * from './http';
export * from './grpc/query-response.serializer';
