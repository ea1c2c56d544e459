module.exports = { ...require('../../jest.preset'), displayName: 'aggregator', rootDir: __dirname };
