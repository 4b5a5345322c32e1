// Integration tests: real PostgreSQL and RabbitMQ (see .ci/run). Each test uses its own
// queue names and schema, so files may run in parallel workers.
const preset = require('./jest.preset.js');

export default {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs,tools,migrations}/**/*.integration-spec.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
