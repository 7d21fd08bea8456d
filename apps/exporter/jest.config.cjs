module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'exporter',
  rootDir: __dirname,
  // The acceptance test runs the whole stack (metric-store needs PostgreSQL).
  globalSetup: '<rootDir>/../../tools/testing/postgres.global-setup.mjs',
  globalTeardown: '<rootDir>/../../tools/testing/postgres.global-teardown.mjs',
};
