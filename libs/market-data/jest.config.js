module.exports = { ...require('../../jest.preset'), displayName: 'market-data', rootDir: __dirname };
