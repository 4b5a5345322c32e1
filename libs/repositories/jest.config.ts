const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'repositories',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
