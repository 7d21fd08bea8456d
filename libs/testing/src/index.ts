export * from './workspace';
export * from './free-port';
export * from './test-database';
export * from './app.runner';
export * from './netdata.agent';
export * from './stack.layout';
