import nx from '@nx/eslint-plugin';

const noTensorflow = { bannedExternalImports: ['@tensorflow/*'] };

const boundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    // Apps are deployables: they import libs, never another app.
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    // Libs never import apps or tools.
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    // Tools (demo, benches, scripts) are built from libs and each other; an app's code is reached by
    // running the app, never by importing it.
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
    // Shared libs only build on shared libs and never touch TensorFlow.js.
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'], ...noTensorflow },
    // The ml lib is the only library allowed to import TensorFlow.js.
    { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ml'] },
    { sourceTag: 'scope:exit', onlyDependOnLibsWithTags: ['scope:shared'], ...noTensorflow },
    { sourceTag: 'scope:trainer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ml'] },
    // signal-generator loads models only through the ml lib's inference entry point.
    { sourceTag: 'scope:signal-generator', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ml'], ...noTensorflow },
    { sourceTag: 'scope:exit-strategy', onlyDependOnLibsWithTags: ['scope:shared', 'scope:exit'], ...noTensorflow },
    { sourceTag: 'scope:api-gateway', onlyDependOnLibsWithTags: ['scope:shared'], ...noTensorflow },
    { sourceTag: 'scope:exchange-simulator', onlyDependOnLibsWithTags: ['scope:shared'], ...noTensorflow },
  ],
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/coverage', '**/*.js', '**/*.mjs', '!apps/api-gateway/src/dashboard/public/*.js'],
  },
  {
    // The ops dashboard's page scripts: browser ES modules, no bundler, no build step.
    files: ['apps/api-gateway/src/dashboard/public/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'sessionStorage', 'fetch', 'URLSearchParams', 'ResizeObserver', 'Node', 'setInterval', 'clearInterval'].map((g) => [g, 'readonly']),
      ),
    },
    rules: { 'no-undef': 'error' },
  },
  {
    // Project sources; config files such as jest.config.ts may reach the workspace preset.
    files: ['**/*.ts'],
    ignores: ['**/jest.config.ts', 'jest.*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', 'tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
