module.exports = { ...require('../../jest.preset.cjs'), displayName: 'metric-store', rootDir: __dirname };
