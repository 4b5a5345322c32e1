const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'exchange-simulator',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
