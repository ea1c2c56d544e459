module.exports = { ...require('../../jest.preset'), displayName: 'archiver', rootDir: __dirname };
