// Every test file: `npm test` shows test results, not the apps' logs. Nest's logger (and kafkajs,
// routed through it) stays quiet unless TEST_LOG_LEVEL names the levels to show, e.g.
// `TEST_LOG_LEVEL=warn,error npx jest …`. Apps run as child processes log to their own files.
const { Logger } = require('@nestjs/common');

const levels = process.env.TEST_LOG_LEVEL?.split(',').map((level) => level.trim()).filter(Boolean);
Logger.overrideLogger(levels && levels.length > 0 ? levels : false);
