const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'features',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
