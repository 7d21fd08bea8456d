module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'health-engine',
  rootDir: __dirname,
  // the app tests keep the alarm log in a real PostgreSQL (DATABASE_URL or an embedded one for the run)
  globalSetup: '../../tools/testing/postgres.global-setup.mjs',
  globalTeardown: '../../tools/testing/postgres.global-teardown.mjs',
};
