const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'ml',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
