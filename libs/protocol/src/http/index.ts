export * from './proxy-header';
