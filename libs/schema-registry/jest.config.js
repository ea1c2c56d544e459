module.exports = { ...require('../../jest.preset'), displayName: 'schema-registry', rootDir: __dirname };
