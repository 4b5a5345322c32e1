const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'demo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
