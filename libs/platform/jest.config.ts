const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'platform',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
