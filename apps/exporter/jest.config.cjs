module.exports = { ...require('../../jest.preset.cjs'), displayName: 'exporter', rootDir: __dirname };
