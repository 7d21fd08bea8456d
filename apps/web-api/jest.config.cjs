module.exports = { ...require('../../jest.preset.cjs'), displayName: 'web-api', rootDir: __dirname };
