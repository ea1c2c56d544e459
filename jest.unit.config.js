// `npm run test:unit`: every unit spec (`*.spec.ts`) of every project, with no broker, database
// or browser: no global set-up starts servers, and integration suites (`*.int-spec.ts`) are left
// to `npm test`. A contributor's first loop, in seconds.
const path = require('node:path');
const { projects } = require('./jest.config');
const { globSync } = require('node:fs');

const configs = projects.flatMap((pattern) => globSync(pattern.replace('<rootDir>/', ''), { cwd: __dirname }));

module.exports = {
  projects: configs.map((config) => ({ ...require(path.join(__dirname, config)), testMatch: ['<rootDir>/**/*.spec.ts'] })),
};
