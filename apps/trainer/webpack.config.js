const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/trainer') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      externalDependencies: 'all',
      // Loaded by name at run time (TypeORM's driver, Nest's HTTP adapter), so the import scan misses them.
      runtimeDependencies: ['pg', '@nestjs/platform-express'],
    }),
  ],
};
