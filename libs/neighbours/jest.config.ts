const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'neighbours',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
