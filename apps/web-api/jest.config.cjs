module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web-api',
  rootDir: __dirname,
  // the full-stack acceptance tests run metric-store on a real PostgreSQL (DATABASE_URL or an embedded one)
  globalSetup: '<rootDir>/../../tools/testing/postgres.global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/testing/postgres.global-teardown.mjs',
};
