const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'signals',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
