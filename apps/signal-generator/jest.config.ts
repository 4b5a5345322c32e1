const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'signal-generator',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
