const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'util',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
