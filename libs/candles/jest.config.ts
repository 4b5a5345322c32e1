const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'candles',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
