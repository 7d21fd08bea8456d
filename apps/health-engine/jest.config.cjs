module.exports = { ...require('../../jest.preset.cjs'), displayName: 'health-engine', rootDir: __dirname };
