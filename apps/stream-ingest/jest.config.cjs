module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'stream-ingest',
  rootDir: __dirname,
  globalSetup: '<rootDir>/../../tools/testing/postgres.global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/testing/postgres.global-teardown.mjs',
};
