module.exports = { ...require('../../jest.preset'), displayName: 'demo', rootDir: __dirname };
