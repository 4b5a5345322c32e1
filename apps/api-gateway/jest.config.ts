const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'api-gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
