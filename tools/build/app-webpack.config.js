// The one webpack setup of every deployable app: a Node bundle of src/main.ts in dist/apps/<app>, npm
// packages left external and listed in a generated package.json for the image's `npm ci`.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * @param {string} app the app's folder name under apps/
 * @param {object} [extra]
 * @param {string[]} [extra.runtimeDependencies] packages loaded by name at run time (the import scan misses them)
 * @param {object[]} [extra.assets] files copied next to main.js
 * @param {object[]} [extra.additionalEntryPoints] further bundles (e.g. a worker thread's script)
 * @param {object} [extra.externals] webpack externals
 */
function appWebpackConfig(app, extra = {}) {
  return {
    output: { path: join(__dirname, '../../dist/apps', app) },
    ...(extra.externals ? { externals: extra.externals } : {}),
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
        // TypeORM's driver and Nest's HTTP adapter are loaded by name at run time in every app.
        runtimeDependencies: ['pg', '@nestjs/platform-express', ...(extra.runtimeDependencies ?? [])],
        ...(extra.assets ? { assets: extra.assets } : {}),
        ...(extra.additionalEntryPoints ? { additionalEntryPoints: extra.additionalEntryPoints } : {}),
      }),
    ],
  };
}

module.exports = { appWebpackConfig };
