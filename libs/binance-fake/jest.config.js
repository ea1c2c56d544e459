module.exports = { ...require('../../jest.preset'), displayName: 'binance-fake', rootDir: __dirname };
