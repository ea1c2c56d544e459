module.exports = { ...require('../../jest.preset'), displayName: 'kafka-io', rootDir: __dirname };
