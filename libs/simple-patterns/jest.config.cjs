module.exports = { ...require('../../jest.preset.cjs'), displayName: 'simple-patterns', rootDir: __dirname };
