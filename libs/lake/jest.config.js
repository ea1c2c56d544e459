module.exports = { ...require('../../jest.preset'), displayName: 'lake', rootDir: __dirname };
