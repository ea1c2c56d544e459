module.exports = { ...require('../../jest.preset'), displayName: 'windowing', rootDir: __dirname };
