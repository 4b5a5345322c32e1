const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'trainer',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
