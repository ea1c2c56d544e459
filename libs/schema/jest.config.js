module.exports = { ...require('../../jest.preset'), displayName: 'schema', rootDir: __dirname };
