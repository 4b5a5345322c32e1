const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'exit-strategy',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
