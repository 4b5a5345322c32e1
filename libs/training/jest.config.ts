const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'training',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
