const preset = require('../../jest.preset.js');

export default {
  ...preset,
  displayName: 'exit-rules',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
