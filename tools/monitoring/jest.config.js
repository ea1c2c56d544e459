module.exports = { ...require('../../jest.preset'), displayName: 'monitoring', rootDir: __dirname };
