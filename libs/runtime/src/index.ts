export * from './embedded-postgres';
export * from './free-port';
export * from './grpc-receive.window';
export * from './grpc-reconnect.options';
