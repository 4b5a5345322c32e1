const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'messaging',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
